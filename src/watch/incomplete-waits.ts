import { lstat } from 'node:fs/promises';
import type { SettledFile } from './settle.ts';

/** Inbox files left as incomplete, each waiting for its next try. */
export class IncompleteWaits {
  readonly #waiting = new Map<string, { timer: NodeJS.Timeout; settled: SettledFile }>();

  /** Calls `retry(path)` at `at`, unless the wait is cancelled first. */
  wait(path: string, settled: SettledFile, at: Date, retry: (path: string) => void): void {
    this.cancel(path);
    const timer = setTimeout(() => {
      this.#waiting.delete(path);
      retry(path);
    }, Math.max(0, at.getTime() - Date.now()));
    this.#waiting.set(path, { timer, settled });
  }

  cancel(path: string): void {
    const entry = this.#waiting.get(path);
    if (entry) clearTimeout(entry.timer);
    this.#waiting.delete(path);
  }

  /** True while the file is as it was when it was read as incomplete: nothing to do before its next try. */
  async unchanged(path: string): Promise<boolean> {
    const entry = this.#waiting.get(path);
    if (!entry) return false;
    const info = await lstat(path).catch(() => null);
    return info !== null && info.size === entry.settled.size && Math.floor(info.mtimeMs) === entry.settled.mtimeMs;
  }

  clear(): void {
    for (const path of [...this.#waiting.keys()]) this.cancel(path);
  }
}
