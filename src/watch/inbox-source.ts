import { lstat } from 'node:fs/promises';
import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { TakeResult } from './file-intake.ts';
import { IncompleteWaits } from './incomplete-waits.ts';
import { inboxFiles, isTransient } from './layout.ts';
import type { Logger } from './logger.ts';
import { waitUntilSettled, type SettledFile } from './settle.ts';

export interface InboxHandlers {
  /** a settled regular file: take it (one at a time, the caller queues) */
  takeFile(path: string, settled: SettledFile): Promise<TakeResult | null>;
  /** a symbolic link: never followed */
  takeLink(path: string): Promise<unknown>;
}

/**
 * How many files are settled and taken at once; the others wait as bare paths, in the order
 * reported. A backlog of tens of thousands of files would otherwise hold a settle wait, its timer
 * and a queued intake job for every one of them at the same time (hundreds of MB).
 */
const FILES_AT_ONCE = 256;

/**
 * The inbox as a stream of files to take: chokidar's events, each file once it has settled, a
 * file read as incomplete tried again on its back-off or at once when it changes, and a rescan
 * for what the watcher missed (events are lost on some network shares).
 */
export class InboxSource {
  readonly #inbox: string;
  readonly #settleMs: number;
  readonly #handlers: InboxHandlers;
  readonly #logger: Logger;
  readonly #stopping = new AbortController();
  readonly #settling = new Map<string, Promise<void>>();
  /** reported while FILES_AT_ONCE were being looked at: looked at in turn */
  readonly #waiting = new Set<string>();
  /** for each file settling, what makes its wait look again at once */
  readonly #lookAgain = new Map<string, () => void>();
  readonly #incomplete = new IncompleteWaits();
  #watcher: FSWatcher | null = null;

  constructor(inbox: string, settleMs: number, handlers: InboxHandlers, logger: Logger) {
    this.#inbox = inbox;
    this.#settleMs = settleMs;
    this.#handlers = handlers;
    this.#logger = logger;
  }

  /** Starts watching; resolves once the watcher's first walk of the inbox is done. */
  async start(usePolling: boolean): Promise<void> {
    const watcher = watch(this.#inbox, {
      ignoreInitial: false,
      persistent: true,
      // a link is quarantined as a link: a link to /etc must never make the service take /etc's files
      followSymlinks: false,
      usePolling,
      interval: 500,
    });
    this.#watcher = watcher;
    watcher.on('add', this.consider).on('change', this.consider).on('error', (error) => this.#logger.error({ err: error }, 'watcher error'));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  /** Looks at one inbox path: settles and takes it, unless it is being looked at already. */
  readonly consider = (path: string): void => {
    if (this.#stopping.signal.aborted || isTransient(basename(path))) return;
    if (this.#settling.has(path)) {
      this.#lookAgain.get(path)?.(); // a change while it settles starts its quiet period now
      return;
    }
    this.#incomplete.cancel(path); // a change is tried at once, whatever the back-off said
    if (this.#settling.size >= FILES_AT_ONCE) {
      this.#waiting.add(path); // its quiet period starts when its turn comes
      return;
    }
    const job = lstat(path).then(
      async (entry) => {
        if (entry.isSymbolicLink()) {
          await this.#handlers.takeLink(path);
          return;
        }
        const settled = await waitUntilSettled(path, this.#settleMs, {
          signal: this.#stopping.signal,
          onChange: (look) => {
            this.#lookAgain.set(path, look);
            return () => this.#lookAgain.delete(path);
          },
        });
        if (!settled || this.#stopping.signal.aborted) return;
        const taken = await this.#handlers.takeFile(path, settled);
        if (taken?.kind === 'incomplete') this.#incomplete.wait(path, settled, taken.retryAt, this.consider);
        if (taken?.kind === 'changed') setTimeout(() => this.consider(path), 0);
      },
      () => undefined, // gone already
    );
    this.#settling.set(
      path,
      job.finally(() => {
        this.#settling.delete(path);
        this.#next();
      }),
    );
  };

  #next(): void {
    for (const path of this.#waiting) {
      if (this.#settling.size >= FILES_AT_ONCE) return;
      this.#waiting.delete(path);
      this.consider(path);
    }
  }

  /** Inbox files still to be taken; incomplete ones that have not changed wait for their next try. */
  async untaken(): Promise<string[]> {
    const files = await inboxFiles(this.#inbox);
    const waiting = await Promise.all(files.map((path) => this.#incomplete.unchanged(path)));
    return files.filter((_, i) => !waiting[i]);
  }

  /** Takes what the watcher did not report. */
  async rescan(): Promise<void> {
    for (const path of await this.untaken()) this.consider(path);
  }

  get busy(): boolean {
    return this.#settling.size > 0 || this.#waiting.size > 0;
  }

  /** Resolves when every file reported so far is settled and handed over. */
  async settled(): Promise<void> {
    while (this.#settling.size > 0) await Promise.all([...this.#settling.values()]);
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#waiting.clear();
    this.#incomplete.clear();
    await this.#watcher?.close();
    await Promise.allSettled([...this.#settling.values()]);
  }
}
