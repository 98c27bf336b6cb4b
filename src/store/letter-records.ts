import { now, type Database } from './database.ts';

export type LetterState = 'review' | 'released' | 'superseded' | 'rejected';

export interface LetterRecord {
  id: number;
  study_ref: number;
  version: number;
  kind: 'gp' | 'patient';
  path: string;
  state: LetterState;
}

export function recordLetter(db: Database, studyId: number, version: number, kind: 'gp' | 'patient', path: string, state: LetterState): void {
  db.prepare('INSERT INTO letters (study_ref, version, kind, path, state, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (study_ref, version, kind) DO UPDATE SET path = excluded.path, state = excluded.state')
    .run(studyId, version, kind, path, state, now());
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
