import { z } from 'zod';
import { decodeRows } from './decode.ts';
import { now } from './engine.ts';
import type { Repository } from './repository.ts';

const AuditEntrySchema = z.object({ at: z.string(), action: z.string(), actor: z.string().nullable(), detail: z.string() });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export class AuditLog {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async add(studyId: number | null, action: string, detail: string, actor: string | null = null): Promise<void> {
    await this.#r.db.insertInto('audit').values({ at: now(), studyRef: studyId, action, actor, detail }).execute();
  }

  async of(studyId: number): Promise<AuditEntry[]> {
    return decodeRows(AuditEntrySchema, await this.#r.db.selectFrom('audit').select(['at', 'action', 'actor', 'detail']).where('studyRef', '=', studyId).orderBy('id').execute(), 'audit');
  }
}
