import type { StudyStore } from '../store/study-store.ts';

/**
 * Files moved out of the inbox whose move is not yet recorded: recorded in the next intake
 * transaction (or when the intake runs dry), which saves a disk sync per file on a backlog. A stop
 * in between loses nothing: at the next start the file is found gone from the inbox and whole at
 * its destination, and its move is recorded then (`finishInterruptedMoves`).
 */
export class MovesToRecord {
  /** file id → its inbox path */
  readonly #moved = new Map<number, string>();

  add(fileId: number, inboxPath: string): void {
    this.#moved.set(fileId, inboxPath);
  }

  /** Whether a file read from this inbox path is among them (a new file of the same name must not meet its record unmoved). */
  has(inboxPath: string): boolean {
    return [...this.#moved.values()].includes(inboxPath);
  }

  get size(): number {
    return this.#moved.size;
  }

  /** Records them inside the caller's transaction; `done` with what this returns once that commits. */
  async recordIn(tx: StudyStore): Promise<number[]> {
    const ids = [...this.#moved.keys()];
    for (const id of ids) await tx.files.recordMoved(id);
    return ids;
  }

  done(ids: number[]): void {
    for (const id of ids) this.#moved.delete(id);
  }

  /** Records them now, in a transaction of their own. */
  async flush(store: StudyStore): Promise<void> {
    if (this.#moved.size === 0) return;
    this.done(await store.transaction((tx) => this.recordIn(tx)));
  }
}
