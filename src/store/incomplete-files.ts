import type { Database } from './database.ts';

/** An export left in the inbox because it read as incomplete: the scanner may still be writing it. */
export interface IncompleteFile {
  inbox_path: string;
  /** the inbox folder it lies in: its study is probably that of the other files there */
  folder: string;
  size: number;
  mtime_ms: number;
  sha256: string;
  problem: string;
  /** when the service first read it as it is now (its last change was at least the settle time before) */
  unchanged_since: string;
  /** reads of it as it is now */
  tries: number;
  /** when it is quarantined if it is still incomplete and unchanged */
  quarantine_at: string;
}

/**
 * Records one more incomplete read of a file. The clock runs from its last change: a file that is
 * not as it was at the previous read starts again, and so does its count of tries.
 */
export function noteIncomplete(
  db: Database,
  file: { inboxPath: string; folder: string; size: number; mtimeMs: number; sha256: string; problem: string },
  at: Date,
  waitMs: number,
): IncompleteFile {
  const before = incompleteFileAt(db, file.inboxPath);
  const same = before !== null && before.size === file.size && before.mtime_ms === file.mtimeMs && before.sha256 === file.sha256;
  // counted from the first read of it as it is now, not from its modification time: a copy that
  // keeps its source's time (cp -p) or a file that lay there while the service was down is not old
  const since = same ? before.unchanged_since : at.toISOString();
  const tries = same ? before.tries + 1 : 1;
  const quarantineAt = new Date(Date.parse(since) + waitMs).toISOString();
  db.prepare(
    `INSERT INTO incomplete_files (inbox_path, folder, size, mtime_ms, sha256, problem, unchanged_since, tries, quarantine_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (inbox_path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256, problem = excluded.problem,
       unchanged_since = excluded.unchanged_since, tries = excluded.tries, quarantine_at = excluded.quarantine_at`,
  ).run(file.inboxPath, file.folder, file.size, file.mtimeMs, file.sha256, file.problem, since, tries, quarantineAt);
  return { inbox_path: file.inboxPath, folder: file.folder, size: file.size, mtime_ms: file.mtimeMs, sha256: file.sha256, problem: file.problem, unchanged_since: since, tries, quarantine_at: quarantineAt };
}

export function incompleteFileAt(db: Database, inboxPath: string): IncompleteFile | null {
  return (db.prepare('SELECT * FROM incomplete_files WHERE inbox_path = ?').get(inboxPath) as unknown as IncompleteFile | undefined) ?? null;
}

export function incompleteFiles(db: Database): IncompleteFile[] {
  return db.prepare('SELECT * FROM incomplete_files ORDER BY unchanged_since, inbox_path').all() as unknown as IncompleteFile[];
}

/** Incomplete files in the inbox folders a study's instances arrived in. */
export function incompleteBesideStudy(db: Database, studyId: number): IncompleteFile[] {
  return db
    .prepare('SELECT * FROM incomplete_files WHERE folder IN (SELECT source_folder FROM instances WHERE study_ref = ?) ORDER BY inbox_path')
    .all(studyId) as unknown as IncompleteFile[];
}

/** When the next study is due, leaving out studies that wait for an incomplete file beside them. */
export function nextDueBesideNoIncomplete(db: Database): string | null {
  const row = db
    .prepare(
      `SELECT MIN(due_at) AS due FROM studies s WHERE due_at IS NOT NULL AND NOT EXISTS
       (SELECT 1 FROM instances n JOIN incomplete_files i ON i.folder = n.source_folder WHERE n.study_ref = s.id)`,
    )
    .get() as { due: string | null };
  return row.due;
}

/** The file was taken (whole, or quarantined at last) or is gone. */
export function forgetIncomplete(db: Database, inboxPath: string): void {
  db.prepare('DELETE FROM incomplete_files WHERE inbox_path = ?').run(inboxPath);
}
