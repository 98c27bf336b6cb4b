import { now, type Database } from './database.ts';

export type LetterState = 'review' | 'released' | 'superseded' | 'rejected';

export interface LetterRecord {
  id: number;
  study_ref: number;
  version: number;
  kind: 'gp' | 'patient';
  /** its final name */
  path: string;
  state: LetterState;
  /** 0 while it is recorded but still under its temporary name */
  in_place: number;
  temporary_path: string | null;
  sha256: string | null;
  /** the fingerprint of the configuration and templates it was made with (letter-setup.ts); null before they were recorded */
  made_with: string | null;
}

/**
 * Records a letter written (and synced) under a temporary name, with the final name it is about
 * to get: not in place until `markInPlace`. What a crash leaves in between is finished at start-up.
 */
export function recordLetter(db: Database, studyId: number, version: number, letter: { kind: 'gp' | 'patient'; path: string; temporaryPath: string; sha256: string }, state: LetterState, madeWith: string): void {
  db.prepare(
    `INSERT INTO letters (study_ref, version, kind, path, state, created_at, in_place, temporary_path, sha256, made_with) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
     ON CONFLICT (study_ref, version, kind) DO UPDATE SET path = excluded.path, state = excluded.state, in_place = 0, temporary_path = excluded.temporary_path, sha256 = excluded.sha256, made_with = excluded.made_with`,
  ).run(studyId, version, letter.kind, letter.path, state, now(), letter.temporaryPath, letter.sha256, madeWith);
}

export function markInPlace(db: Database, id: number): void {
  db.prepare('UPDATE letters SET in_place = 1, temporary_path = NULL WHERE id = ?').run(id);
}

/** Recorded letters not yet under their final names: all of them, or one study's. */
export function lettersNotInPlace(db: Database, studyId?: number): LetterRecord[] {
  return (studyId === undefined
    ? db.prepare('SELECT * FROM letters WHERE in_place = 0 ORDER BY id').all()
    : db.prepare('SELECT * FROM letters WHERE in_place = 0 AND study_ref = ? ORDER BY id').all(studyId)) as unknown as LetterRecord[];
}

export function deleteLetter(db: Database, id: number): void {
  db.prepare('DELETE FROM letters WHERE id = ?').run(id);
}

export function currentLetters(db: Database, studyId: number): LetterRecord[] {
  return db.prepare("SELECT * FROM letters WHERE study_ref = ? AND state IN ('review', 'released') ORDER BY kind").all(studyId) as unknown as LetterRecord[];
}

export function lettersOfStudy(db: Database, studyId: number): LetterRecord[] {
  return db.prepare('SELECT * FROM letters WHERE study_ref = ? ORDER BY version, kind').all(studyId) as unknown as LetterRecord[];
}

export function moveLetter(db: Database, id: number, path: string, state: LetterState): void {
  db.prepare('UPDATE letters SET path = ?, state = ? WHERE id = ?').run(path, state, id);
}
