import { now, type Database } from './database.ts';
import type { FileKind } from '../watch/layout.ts';

export type FileOutcome = 'stored' | 'duplicate' | 'quarantined' | 'ignored' | 'context';

export interface FileRecord {
  id: number;
  inbox_path: string;
  sha256: string;
  kind: FileKind;
  outcome: FileOutcome | null;
  destination: string | null;
  moved: number;
  changed_after_read: number;
  reason: string | null;
  sop_instance_uid: string | null;
  received_at: string;
}

/** A file's journey: received, then one outcome with its destination, then moved. Every step is an event. */
export function recordReceived(db: Database, file: { inboxPath: string; size: number; mtimeMs: number; sha256: string; kind: FileKind }): number {
  const at = now();
  const { lastInsertRowid } = db
    .prepare('INSERT INTO files (inbox_path, size, mtime_ms, sha256, kind, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(file.inboxPath, file.size, file.mtimeMs, file.sha256, file.kind, at, at);
  const id = Number(lastInsertRowid);
  addEvent(db, id, 'received', `${file.size} bytes, sha256 ${file.sha256.slice(0, 16)}…`);
  return id;
}

export function recordOutcome(db: Database, id: number, outcome: FileOutcome, destination: string, detail: { reason?: string; sopInstanceUid?: string } = {}): void {
  db.prepare('UPDATE files SET outcome = ?, destination = ?, reason = ?, sop_instance_uid = ?, updated_at = ? WHERE id = ?')
    .run(outcome, destination, detail.reason ?? null, detail.sopInstanceUid ?? null, now(), id);
  addEvent(db, id, outcome, detail.reason ?? destination);
}

export function recordMoved(db: Database, id: number): void {
  db.prepare('UPDATE files SET moved = 1, updated_at = ? WHERE id = ?').run(now(), id);
  addEvent(db, id, 'moved', null);
}

export function addEvent(db: Database, fileId: number, event: string, detail: string | null): void {
  db.prepare('INSERT INTO file_events (file_ref, at, event, detail) VALUES (?, ?, ?, ?)').run(fileId, now(), event, detail);
}

/**
 * The file changed in the inbox after it was read: what was recorded from it is not what would be
 * archived, so the record is closed unmoved and the file is taken again as a new one.
 */
export function recordChangedAfterRead(db: Database, id: number, detail: string): void {
  db.prepare('UPDATE files SET changed_after_read = 1, updated_at = ? WHERE id = ?').run(now(), id);
  addEvent(db, id, 'changed', detail);
}

/** A file this service took but had not finished with when it stopped. */
export function unfinishedFiles(db: Database): FileRecord[] {
  return db.prepare('SELECT * FROM files WHERE moved = 0 AND changed_after_read = 0 ORDER BY id').all() as unknown as FileRecord[];
}

export function unfinishedFileAt(db: Database, inboxPath: string, sha256: string): FileRecord | null {
  return (db.prepare('SELECT * FROM files WHERE inbox_path = ? AND sha256 = ? AND moved = 0 AND changed_after_read = 0 ORDER BY id DESC LIMIT 1').get(inboxPath, sha256) as unknown as FileRecord | undefined) ?? null;
}

/** Records of a path read before but not yet moved, whatever bytes they were read from. */
export function unfinishedFilesAt(db: Database, inboxPath: string): FileRecord[] {
  return db.prepare('SELECT * FROM files WHERE inbox_path = ? AND moved = 0 AND changed_after_read = 0 ORDER BY id').all(inboxPath) as unknown as FileRecord[];
}

export function fileEvents(db: Database, fileId: number): { event: string; detail: string | null }[] {
  return db.prepare('SELECT event, detail FROM file_events WHERE file_ref = ? ORDER BY id').all(fileId) as unknown as { event: string; detail: string | null }[];
}

/** The letters' fate is part of the journey of every file of the study. */
export function addStudyFileEvent(db: Database, studyId: number, event: string, detail: string): void {
  for (const { file_ref } of db.prepare('SELECT file_ref FROM instances WHERE study_ref = ?').all(studyId) as { file_ref: number }[]) {
    addEvent(db, file_ref, event, detail);
  }
}
