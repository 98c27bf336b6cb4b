import { z } from 'zod';
import { decodeRows } from './decode.ts';
import type { Repository } from './repository.ts';

const ViewSchema = z.object({ id: z.number(), at: z.string(), actor: z.string(), role: z.string(), address: z.string(), patientId: z.string().nullable(), studyRef: z.number().nullable(), what: z.string() });
export type ViewEntry = z.infer<typeof ViewSchema>;
export type NewViewEntry = Omit<ViewEntry, 'id'>;

/** Every look at a patient's data: who, when, from where, which patient and what (NEN 7513). Only ever added to. */
export class ViewLog {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async add(entry: NewViewEntry): Promise<void> {
    await this.#r.db.insertInto('viewLog').values(entry).execute();
  }

  /** The newest entries first, optionally of one actor or one patient, from a date on. */
  async search(filter: { actor?: string; patientId?: string; from?: string; limit: number }): Promise<ViewEntry[]> {
    const rows = await this.#r.db
      .selectFrom('viewLog')
      .selectAll()
      .$if(filter.actor !== undefined, (qb) => qb.where('actor', '=', filter.actor ?? ''))
      .$if(filter.patientId !== undefined, (qb) => qb.where('patientId', '=', filter.patientId ?? ''))
      .$if(filter.from !== undefined, (qb) => qb.where('at', '>=', filter.from ?? ''))
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
    return decodeRows(ViewSchema, rows, 'view_log');
  }
}
