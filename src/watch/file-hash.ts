import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const MOST_READ_AT_ONCE = 1024 * 1024;

/**
 * The SHA-256 of an open file of `size` bytes (as its caller's stat found it), read at most a
 * megabyte at a time: a huge file never sits in memory whole. The chunk is no larger than the
 * file: a fresh zero-filled megabyte per file, for exports of tens of kilobytes, was the main
 * thread's largest allocation and set off a full collection during nearly every single arrival.
 * The file is read to its end whatever the size said.
 */
export async function sha256OfHandle(handle: FileHandle, size: number): Promise<string> {
  const hash = createHash('sha256');
  // uninitialised memory is safe here: only the bytes read are hashed
  const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(size, MOST_READ_AT_ONCE)));
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) return hash.digest('hex');
    hash.update(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/** The SHA-256 of a file in out/, or null when it is not there. */
export async function sha256OfFile(path: string): Promise<string | null> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return null;
  try {
    return await sha256OfHandle(handle, (await handle.stat()).size);
  } finally {
    await handle.close();
  }
}
