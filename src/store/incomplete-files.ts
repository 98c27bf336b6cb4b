import { z } from 'zod';
import { decodeRow, decodeRows } from './decode.ts';
import type { Repository } from './repository.ts';

/** An export left in the inbox because it read as incomplete: the scanner may still be writing it. */
const IncompleteFileSchema = z.object({
  inboxPath: z.string(),
  /** the inbox folder it lies in: its study is probably that of the other files there */
  folder: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  sha256: z.string(),
  problem: z.string(),
  /** when the service first read it as it is now (its last change was at least the settle time before) */
  unchangedSince: z.string(),
  /** reads of it as it is now */
  tries: z.number(),
  /** when it is quarantined if it is still incomplete and unchanged */
  quarantineAt: z.string(),
});
export type IncompleteFile = z.infer<typeof IncompleteFileSchema>;

const COLUMNS = ['inboxPath', 'folder', 'size', 'mtimeMs', 'sha256', 'problem', 'unchangedSince', 'tries', 'quarantineAt'] as const;

export class IncompleteFiles {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /**
   * Records one more incomplete read of a file. The clock runs from its last change: a file that is
   * not as it was at the previous read starts again, and so does its count of tries.
   */
  async note(file: Omit<IncompleteFile, 'unchangedSince' | 'tries' | 'quarantineAt'>, at: Date, waitMs: number): Promise<IncompleteFile> {
    const before = await this.at(file.inboxPath);
    const same = before !== null && before.size === file.size && before.mtimeMs === file.mtimeMs && before.sha256 === file.sha256;
    // counted from the first read of it as it is now, not from its modification time: a copy that
    // keeps its source's time (cp -p) or a file that lay there while the service was down is not old
    const unchangedSince = same ? before.unchangedSince : at.toISOString();
    const tries = same ? before.tries + 1 : 1;
    const quarantineAt = new Date(Date.parse(unchangedSince) + waitMs).toISOString();
    const row = { ...file, unchangedSince, tries, quarantineAt };
    await this.#r.db
      .insertInto('incompleteFiles')
      .values({ inboxKey: this.#r.identity.inboxKey, ...row })
      .onConflict((oc) => oc.columns(['inboxKey', 'inboxPath']).doUpdateSet({ folder: row.folder, size: row.size, mtimeMs: row.mtimeMs, sha256: row.sha256, problem: row.problem, unchangedSince, tries, quarantineAt }))
      .execute();
    return row;
  }

  async at(inboxPath: string): Promise<IncompleteFile | null> {
    const row = await this.#select().where('inboxPath', '=', inboxPath).executeTakeFirst();
    return row === undefined ? null : decodeRow(IncompleteFileSchema, row, 'incomplete_files');
  }

  async all(): Promise<IncompleteFile[]> {
    return decodeRows(IncompleteFileSchema, await this.#select().orderBy('unchangedSince').orderBy('inboxPath').execute(), 'incomplete_files');
  }

  /** Incomplete files in the inbox folders a study's instances arrived in. */
  async besideStudy(studyId: number): Promise<IncompleteFile[]> {
    const folders = this.#r.db.selectFrom('instances').select('sourceFolder').where('studyRef', '=', studyId).where('inboxKey', '=', this.#r.identity.inboxKey);
    return decodeRows(IncompleteFileSchema, await this.#select().where('folder', 'in', folders).orderBy('inboxPath').execute(), 'incomplete_files');
  }

  /** The file was taken (whole, or quarantined at last) or is gone. */
  async forget(inboxPath: string): Promise<void> {
    await this.#r.db.deleteFrom('incompleteFiles').where('inboxKey', '=', this.#r.identity.inboxKey).where('inboxPath', '=', inboxPath).execute();
  }

  #select() {
    return this.#r.db.selectFrom('incompleteFiles').select(COLUMNS).where('inboxKey', '=', this.#r.identity.inboxKey);
  }
}
