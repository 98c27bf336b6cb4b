import { sql } from 'kysely';
import { z } from 'zod';
import { now } from './engine.ts';
import { decodeRow, decodeRows, flag } from './decode.ts';
import type { Repository } from './repository.ts';
import { isUniqueViolation } from './store-errors.ts';

export const FILE_KINDS = ['export', 'context', 'other'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const FILE_OUTCOMES = ['stored', 'duplicate', 'quarantined', 'ignored', 'context'] as const;
export type FileOutcome = (typeof FILE_OUTCOMES)[number];

const FileRecordSchema = z.object({
  id: z.number(),
  inboxPath: z.string(),
  sha256: z.string(),
  kind: z.enum(FILE_KINDS),
  outcome: z.enum(FILE_OUTCOMES).nullable(),
  destination: z.string().nullable(),
  moved: flag,
  changedAfterRead: flag,
  reason: z.string().nullable(),
  sopInstanceUid: z.string().nullable(),
  receivedAt: z.string(),
});
export type FileRecord = z.infer<typeof FileRecordSchema>;

const UndecidedClaimSchema = z.object({ inboxPath: z.string(), instance: z.string(), receivedAt: z.string() });

const EventSchema = z.object({ event: z.string(), detail: z.string().nullable() });

const FILE_COLUMNS = ['id', 'inboxPath', 'sha256', 'kind', 'outcome', 'destination', 'moved', 'changedAfterRead', 'reason', 'sopInstanceUid', 'receivedAt'] as const;

/** A file's journey: received, then one outcome with its destination, then moved. Every step is an event. */
export class FileRecords {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /**
   * Records a file as this instance's. Among files not yet finished, an inbox path with the same
   * bytes can be recorded once (`files_claim`): an instance that loses that race gets null.
   */
  async recordReceived(file: { inboxPath: string; size: number; mtimeMs: number; sha256: string; kind: FileKind }): Promise<number> {
    const at = now();
    const { id } = await this.#r.db
      .insertInto('files')
      .values({ inboxKey: this.#r.identity.inboxKey, inboxPath: file.inboxPath, size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256, kind: file.kind, instance: this.#r.identity.instance, outcome: null, destination: null, reason: null, sopInstanceUid: null, receivedAt: at, updatedAt: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.addEvent(id, 'received', `${file.size} bytes, sha256 ${file.sha256.slice(0, 16)}…`);
    return id;
  }

  async recordOutcome(id: number, outcome: FileOutcome, destination: string, detail: { reason?: string; sopInstanceUid?: string } = {}): Promise<void> {
    await this.#r.db.updateTable('files').set({ outcome, destination, reason: detail.reason ?? null, sopInstanceUid: detail.sopInstanceUid ?? null, updatedAt: now() }).where('id', '=', id).execute();
    await this.addEvent(id, outcome, detail.reason ?? destination);
  }

  async recordMoved(id: number): Promise<void> {
    await this.#r.db.updateTable('files').set({ moved: 1, updatedAt: now() }).where('id', '=', id).execute();
    await this.addEvent(id, 'moved', null);
  }

  async addEvent(fileId: number, event: string, detail: string | null): Promise<void> {
    await this.#r.db.insertInto('fileEvents').values({ fileRef: fileId, at: now(), event, detail }).execute();
  }

  /**
   * The file changed in the inbox after it was read: what was recorded from it is not what would be
   * archived, so the record is closed unmoved and the file is taken again as a new one.
   */
  async recordChangedAfterRead(id: number, detail: string): Promise<void> {
    await this.#r.db.updateTable('files').set({ changedAfterRead: 1, updatedAt: now() }).where('id', '=', id).execute();
    await this.addEvent(id, 'changed', detail);
  }

  /** Files this instance took but had not finished with when it stopped. */
  async unfinished(): Promise<FileRecord[]> {
    return decodeRows(FileRecordSchema, await this.#unfinishedQuery().orderBy('id').execute(), 'files');
  }

  async unfinishedAt(inboxPath: string, sha256: string): Promise<FileRecord | null> {
    const row = await this.#unfinishedQuery().where('inboxPath', '=', inboxPath).where('sha256', '=', sha256).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? null : decodeRow(FileRecordSchema, row, 'files');
  }

  /** Records of a path read before but not yet moved, whatever bytes they were read from. */
  async unfinishedAllAt(inboxPath: string): Promise<FileRecord[]> {
    return decodeRows(FileRecordSchema, await this.#unfinishedQuery().where('inboxPath', '=', inboxPath).orderBy('id').execute(), 'files');
  }

  async events(fileId: number): Promise<{ event: string; detail: string | null }[]> {
    return decodeRows(EventSchema, await this.#r.db.selectFrom('fileEvents').select(['event', 'detail']).where('fileRef', '=', fileId).orderBy('id').execute(), 'file_events');
  }

  /** The letters' fate is part of the journey of every file of the study. */
  async addStudyEvent(studyId: number, event: string, detail: string): Promise<void> {
    const at = now();
    await this.#r.db
      .insertInto('fileEvents')
      .columns(['fileRef', 'at', 'event', 'detail'])
      .expression((eb) => eb.selectFrom('instances').select((s) => ['fileRef', s.val(at).as('at'), s.val(event).as('event'), s.val(detail).as('detail')]).where('studyRef', '=', studyId).orderBy('id'))
      .execute();
  }

  /**
   * Records a file as this instance's before anything is decided about it, on a store several
   * instances share: null when another instance holds the same inbox path with the same bytes.
   */
  async claim(file: { inboxPath: string; size: number; mtimeMs: number; sha256: string; kind: FileKind }): Promise<number | null> {
    try {
      return await this.recordReceived(file);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /**
   * Files of this inbox an instance (this one or another) has claimed on a shared store and not yet
   * decided on: each one's inbox path, its claimant and when it was claimed.
   */
  async undecidedClaims(): Promise<{ inboxPath: string; instance: string; receivedAt: string }[]> {
    const rows = await this.#r.db
      .selectFrom('files')
      .select(['inboxPath', 'instance', 'receivedAt'])
      // literals, not parameters: only then do they match the condition of the partial index files_claim
      .where('moved', '=', sql.lit(0))
      .where('changedAfterRead', '=', sql.lit(0))
      .where('inboxKey', '=', this.#r.identity.inboxKey)
      .where('outcome', 'is', null)
      .orderBy('id')
      .execute();
    return decodeRows(UndecidedClaimSchema, rows, 'files');
  }

  /** Counts per state of the journey, for status; a claim closed before anything was decided (another instance took the file, or it changed) is 'left before a decision'. */
  async countsByState(): Promise<Record<string, number>> {
    const rows = await this.#r.db.selectFrom('files').select(['moved', 'changedAfterRead', 'outcome', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['moved', 'changedAfterRead', 'outcome']).execute();
    const counts: Record<string, number> = {};
    for (const row of rows) {
      const state =
        row.changedAfterRead === 1 ? (row.outcome === null ? 'left before a decision' : 'changed after read') : row.moved === 0 ? 'in progress' : (row.outcome ?? 'in progress');
      counts[state] = (counts[state] ?? 0) + Number(row.n);
    }
    return counts;
  }

  #unfinishedQuery() {
    // literals, not parameters: only then do they match the condition of the partial index files_claim
    return this.#r.db
      .selectFrom('files')
      .select(FILE_COLUMNS)
      .where('moved', '=', sql.lit(0))
      .where('changedAfterRead', '=', sql.lit(0))
      .where('inboxKey', '=', this.#r.identity.inboxKey)
      .where('instance', '=', this.#r.identity.instance);
  }
}
