import { z } from 'zod';
import { decodeRow, decodeRows, flag } from './decode.ts';
import { LETTER_COLUMNS, LetterRecordSchema, type LetterRecord } from './letter-records.ts';
import type { Repository } from './repository.ts';

const VersionSchema = z.object({ version: z.number(), category: z.string().nullable(), releasable: flag, createdAt: z.string() });
/** One classified version of a study, as the classifications table keeps it. */
export type StudyVersion = z.infer<typeof VersionSchema>;

/** What a study page reads of a study's past: its classified versions and every letter it has had. */
export class StudyHistory {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /** Every classified version of the study, oldest first. */
  async versions(studyId: number): Promise<StudyVersion[]> {
    const rows = await this.#r.db.selectFrom('classifications').select(['version', 'category', 'releasable', 'createdAt']).where('studyRef', '=', studyId).orderBy('version').execute();
    return decodeRows(VersionSchema, rows, 'classifications');
  }

  /** Every letter of the study, of every version and state, by version and kind. */
  async letters(studyId: number): Promise<LetterRecord[]> {
    const rows = await this.#r.db.selectFrom('letters').select(LETTER_COLUMNS).where('studyRef', '=', studyId).orderBy('version').orderBy('kind').orderBy('id').execute();
    return decodeRows(LetterRecordSchema, rows, 'letters');
  }

  /** One letter by its number, only when it belongs to this study: a letter of another study is not found. */
  async letter(studyId: number, letterId: number): Promise<LetterRecord | null> {
    const row = await this.#r.db.selectFrom('letters').select(LETTER_COLUMNS).where('id', '=', letterId).where('studyRef', '=', studyId).executeTakeFirst();
    return row === undefined ? null : decodeRow(LetterRecordSchema, row, 'letters');
  }
}
