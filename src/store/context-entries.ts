import { z } from 'zod';
import { EnteredContextSchema, type ContextEntry, type EnteredContext } from '../model/clinical-context.ts';
import { decodeJson, decodeRow } from './decode.ts';
import { now } from './engine.ts';
import type { Repository } from './repository.ts';

export type { ContextEntry } from '../model/clinical-context.ts';

const RowSchema = z.object({ content: z.string(), enteredBy: z.string(), enteredAt: z.string(), reason: z.string() });

/** Clinical context entered for a study on the review page; every entry is kept, the latest counts. */
export class ContextEntries {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async add(studyId: number, context: EnteredContext, enteredBy: string, reason: string, at: string = now()): Promise<void> {
    await this.#r.db.insertInto('contextEntries').values({ studyRef: studyId, content: JSON.stringify(context), enteredBy, enteredAt: at, reason }).execute();
  }

  async latest(study: { id: number; studyUid: string }): Promise<ContextEntry | null> {
    const row = await this.#r.db.selectFrom('contextEntries').select(['content', 'enteredBy', 'enteredAt', 'reason']).where('studyRef', '=', study.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (row === undefined) return null;
    const decoded = decodeRow(RowSchema, row, 'context_entries');
    return { context: decodeJson(EnteredContextSchema, decoded.content, `study ${study.studyUid}, context entered on ${decoded.enteredAt}`), enteredBy: decoded.enteredBy, enteredAt: decoded.enteredAt, reason: decoded.reason };
  }

  /** How many entries a study has: each one is kept. */
  async count(studyId: number): Promise<number> {
    const row = await this.#r.db.selectFrom('contextEntries').select((eb) => eb.fn.countAll<number>().as('n')).where('studyRef', '=', studyId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
