import { now, type Database } from './database.ts';

export function audit(db: Database, studyId: number | null, action: string, detail: string, actor: string | null = null): void {
  db.prepare('INSERT INTO audit (at, study_ref, action, actor, detail) VALUES (?, ?, ?, ?, ?)').run(now(), studyId, action, actor, detail);
}

export function auditOf(db: Database, studyId: number): { at: string; action: string; actor: string | null; detail: string }[] {
  return db.prepare('SELECT at, action, actor, detail FROM audit WHERE study_ref = ? ORDER BY id').all(studyId) as unknown as { at: string; action: string; actor: string | null; detail: string }[];
}
