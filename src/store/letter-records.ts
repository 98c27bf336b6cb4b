import { sql } from 'kysely';
import { z } from 'zod';
import { decodeRows, flag } from './decode.ts';
import { now } from './engine.ts';
import type { Repository } from './repository.ts';

export const LETTER_STATES = ['review', 'released', 'superseded', 'rejected'] as const;
export type LetterState = (typeof LETTER_STATES)[number];
export type LetterKind = 'gp' | 'patient';

export const LetterRecordSchema = z.object({
  id: z.number(),
  studyRef: z.number(),
  version: z.number(),
  kind: z.enum(['gp', 'patient']),
  /** its final name */
  path: z.string(),
  state: z.enum(LETTER_STATES),
  /** false while it is recorded but still under its temporary name */
  inPlace: flag,
  temporaryPath: z.string().nullable(),
  sha256: z.string().nullable(),
  /** the fingerprint of the configuration and templates it was made with (letter-setup.ts); null before they were recorded */
  madeWith: z.string().nullable(),
});
export type LetterRecord = z.infer<typeof LetterRecordSchema>;

/** A letter written (and synced) under a temporary name, with the final name it is about to get. */
export interface WrittenLetter {
  kind: LetterKind;
  path: string;
  temporaryPath: string;
  sha256: string;
}

export const LETTER_COLUMNS = ['id', 'studyRef', 'version', 'kind', 'path', 'state', 'inPlace', 'temporaryPath', 'sha256', 'madeWith'] as const;

export class LetterRecords {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /**
   * Records a letter written under a temporary name, with the final name it is about to get: not
   * in place until `markInPlace`. What a stop leaves in between is finished at start-up.
   */
  async record(studyId: number, version: number, letter: WrittenLetter, state: LetterState, madeWith: string): Promise<void> {
    await this.#r.db
      .insertInto('letters')
      .values({ studyRef: studyId, version, kind: letter.kind, path: letter.path, state, createdAt: now(), inPlace: 0, temporaryPath: letter.temporaryPath, sha256: letter.sha256, madeWith, instance: this.#r.identity.instance })
      .onConflict((oc) =>
        oc.columns(['studyRef', 'version', 'kind']).doUpdateSet((eb) => ({
          path: eb.ref('excluded.path'),
          state: eb.ref('excluded.state'),
          inPlace: 0,
          temporaryPath: eb.ref('excluded.temporaryPath'),
          sha256: eb.ref('excluded.sha256'),
          madeWith: eb.ref('excluded.madeWith'),
          instance: eb.ref('excluded.instance'),
        })),
      )
      .execute();
  }

  async markInPlace(id: number): Promise<void> {
    await this.#r.db.updateTable('letters').set({ inPlace: 1, temporaryPath: null }).where('id', '=', id).execute();
  }

  /** Letters this instance recorded that are not yet under their final names: all of them, or one study's. */
  async notInPlace(studyId?: number): Promise<LetterRecord[]> {
    const rows = await this.#select()
      .where('inPlace', '=', sql.lit(0)) // a literal matches the partial index letters_not_in_place; a parameter would not
      .where('instance', '=', this.#r.identity.instance)
      .$if(studyId !== undefined, (qb) => qb.where('studyRef', '=', studyId ?? -1))
      .orderBy('id')
      .execute();
    return decodeRows(LetterRecordSchema, rows, 'letters');
  }

  async delete(id: number): Promise<void> {
    await this.#r.db.deleteFrom('letters').where('id', '=', id).execute();
  }

  /** The released letters of a version replace its drafts. */
  async deleteVersion(studyId: number, version: number): Promise<void> {
    await this.#r.db.deleteFrom('letters').where('studyRef', '=', studyId).where('version', '=', version).execute();
  }

  async current(studyId: number): Promise<LetterRecord[]> {
    return decodeRows(LetterRecordSchema, await this.#select().where('studyRef', '=', studyId).where('state', 'in', ['review', 'released']).orderBy('kind').execute(), 'letters');
  }

  async ofStudy(studyId: number): Promise<LetterRecord[]> {
    return decodeRows(LetterRecordSchema, await this.#select().where('studyRef', '=', studyId).orderBy('version').orderBy('kind').execute(), 'letters');
  }

  async move(id: number, path: string, state: LetterState): Promise<void> {
    await this.#r.db.updateTable('letters').set({ path, state }).where('id', '=', id).execute();
  }

  /** Whether a letter of another study has one of these paths, or this study one at `ownPath`. */
  async pathUse(studyId: number, paths: string[], ownPath: string): Promise<{ takenByOther: boolean; ours: boolean }> {
    const other = await this.#r.db.selectFrom('letters').select('id').where('studyRef', '!=', studyId).where('path', 'in', paths).limit(1).executeTakeFirst();
    const ours = await this.#r.db.selectFrom('letters').select('id').where('studyRef', '=', studyId).where('path', '=', ownPath).limit(1).executeTakeFirst();
    return { takenByOther: other !== undefined, ours: ours !== undefined };
  }

  /**
   * The names reserved by other studies among `<stem>.pdf` and `<stem>~<n>.pdf`: the names a free
   * one is chosen among, asked for once instead of name after name.
   */
  async namesReservedByOthers(stem: string, studyId: number): Promise<Set<string>> {
    const escaped = stem.replace(/[!%_]/g, (c) => `!${c}`);
    // the numbered names as a range of the key in byte order (from `<stem>~` to just past `~`), so
    // they are looked up, not searched for; in PostgreSQL's own collation a prefix is no range
    const name = this.#r.kind === 'postgres' ? sql<string>`${sql.ref('name')} COLLATE "C"` : sql<string>`${sql.ref('name')}`;
    const numbered = sql<boolean>`${name} >= ${`${stem}~`} AND ${name} < ${`${stem}\x7f`} AND ${sql.ref('name')} LIKE ${`${escaped}~%.pdf`} ESCAPE '!'`;
    const rows = await this.#r.db
      .selectFrom('letterNames')
      .select('name')
      .where('studyRef', '!=', studyId)
      .where((eb) => eb.or([eb('name', '=', `${stem}.pdf`), numbered]))
      .execute();
    return new Set(rows.map((row) => row.name));
  }

  /**
   * Reserves a letter file name for a study: true when it is (now, or already) the study's, false
   * when another study has it. Instances choosing names at once get different ones.
   */
  async reserveName(name: string, studyId: number): Promise<boolean> {
    await this.#r.db.insertInto('letterNames').values({ name, studyRef: studyId, reservedAt: now() }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await this.#r.db.selectFrom('letterNames').select('studyRef').where('name', '=', name).executeTakeFirstOrThrow();
    return row.studyRef === studyId;
  }

  /** Every recorded path, and the temporary names of those not yet in place, for the walk through out/. */
  async paths(): Promise<{ path: string; inPlace: boolean; temporaryPath: string | null }[]> {
    const rows = await this.#r.db.selectFrom('letters').select(['path', 'inPlace', 'temporaryPath']).execute();
    return rows.map((row) => ({ path: row.path, inPlace: row.inPlace === 1, temporaryPath: row.inPlace === 0 ? row.temporaryPath : null }));
  }

  async countsByState(): Promise<Record<string, number>> {
    const rows = await this.#r.db.selectFrom('letters').select(['inPlace', 'state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['inPlace', 'state']).execute();
    const counts: Record<string, number> = {};
    for (const row of rows) {
      const state = row.inPlace === 0 ? 'not yet in place' : row.state;
      counts[state] = (counts[state] ?? 0) + Number(row.n);
    }
    return counts;
  }

  #select() {
    return this.#r.db.selectFrom('letters').select(LETTER_COLUMNS);
  }
}
