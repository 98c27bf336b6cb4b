import { z } from 'zod';
import { decodeRows } from './decode.ts';
import { now } from './engine.ts';
import type { Repository } from './repository.ts';

const AuditEntrySchema = z.object({ at: z.string(), action: z.string(), actor: z.string().nullable(), detail: z.string() });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
const RecentEntrySchema = AuditEntrySchema.extend({ studyRef: z.number().nullable() });
export type RecentAuditEntry = z.infer<typeof RecentEntrySchema>;

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

  /** The newest entries first, of these actions only when given (status: the last errors; admin: user changes). */
  async recent(limit: number, actions?: readonly string[]): Promise<RecentAuditEntry[]> {
    const rows = await this.#r.db
      .selectFrom('audit')
      .select(['at', 'action', 'actor', 'detail', 'studyRef'])
      .$if(actions !== undefined, (qb) => qb.where('action', 'in', [...(actions ?? [])]))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return decodeRows(RecentEntrySchema, rows, 'audit');
  }
}
