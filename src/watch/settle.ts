import { lstat } from 'node:fs/promises';

export interface SettledFile {
  size: number;
  mtimeMs: number;
}

/**
 * Resolves once a file's size and modification time have not changed for `settleMs`: a scanner
 * or copy still writing it keeps pushing that moment back. Null when the file disappears or
 * `signal` aborts the wait, or when it is not (or no longer) a regular file.
 */
export async function waitUntilSettled(path: string, settleMs: number, signal?: AbortSignal): Promise<SettledFile | null> {
  const poll = Math.max(50, Math.min(250, Math.floor(settleMs / 8)));
  let last: SettledFile | null = null;
  let stableSince = 0;
  for (;;) {
    if (signal?.aborted) return null;
    const info = await lstat(path).catch(() => null); // a symbolic link is never a settled file
    if (info === null || !info.isFile()) return null;
    const current = { size: info.size, mtimeMs: Math.floor(info.mtimeMs) };
    const now = Date.now();
    if (last === null || current.size !== last.size || current.mtimeMs !== last.mtimeMs) {
      last = current;
      stableSince = now;
    } else if (now - stableSince >= settleMs) {
      return current;
    }
    await new Promise((resolve) => setTimeout(resolve, poll));
  }
}
