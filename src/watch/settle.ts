import { lstat } from 'node:fs/promises';
import { Wakeup } from './wakeup.ts';

export interface SettledFile {
  size: number;
  mtimeMs: number;
}

export interface SettleOptions {
  signal?: AbortSignal;
  /**
   * Where reports of a change to the file (file-system events) arrive: given the wait's `look`,
   * which makes it look at the file again at once, it returns the unsubscribe.
   */
  onChange?: (look: () => void) => () => void;
}

/**
 * Resolves once a file's size and modification time have not changed for `settleMs`: a scanner
 * or copy still writing it keeps pushing that moment back. Null when the file disappears or
 * `signal` aborts the wait, or when it is not (or no longer) a regular file.
 *
 * The file is looked at when its quiet period would end, not on a fixed poll (which would add up
 * to one poll step to every settle), and whenever a change is reported: a change seen at once
 * starts its quiet period then rather than at the next look. A change nobody reports is seen at
 * the next look and starts the quiet period there, which can only make the wait longer.
 */
export async function waitUntilSettled(path: string, settleMs: number, options: SettleOptions = {}): Promise<SettledFile | null> {
  const { signal } = options;
  const wakeup = new Wakeup(signal);
  const unsubscribe = options.onChange?.(wakeup.wake);
  try {
    let last: SettledFile | null = null;
    let stableSince = 0;
    for (;;) {
      if (signal?.aborted) return null;
      wakeup.clear(); // a change reported from here on is seen by the look below or brings another
      const info = await lstat(path).catch(() => null); // a symbolic link is never a settled file
      if (info === null || !info.isFile()) return null;
      const current = { size: info.size, mtimeMs: Math.floor(info.mtimeMs) };
      // monotonic: a wall clock set forward must not end a quiet period early
      const now = performance.now();
      if (last === null || current.size !== last.size || current.mtimeMs !== last.mtimeMs) {
        last = current;
        stableSince = now;
      } else if (now - stableSince >= settleMs) {
        return current;
      }
      await wakeup.after(stableSince + settleMs - now);
    }
  } finally {
    unsubscribe?.();
    wakeup.dispose();
  }
}
