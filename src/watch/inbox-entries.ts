import { constants } from 'node:fs';
import { lstat, open, readlink, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { quoteInput } from '../model/quote-input.ts';
import { assertInside } from './boundary.ts';
import { sha256Of, sha256OfHandle } from './file-hash.ts';
import { intoOut, type Layout } from './layout.ts';
import { moveFile, writeFileAtomic } from './move-file.ts';

/** A regular inbox file as read: its bytes (null when larger than allowed: only hashed), hash and size. */
export interface InboxRead {
  bytes: Buffer | null;
  sha256: string;
  size: number;
}

/**
 * A regular file in the inbox, read without following a symbolic link (nor blocking on a pipe);
 * null when it is gone or is no longer a regular file. A file over `maxBytes` is hashed, never
 * held in memory.
 */
export async function readInboxFile(inbox: string, path: string, maxBytes = Number.POSITIVE_INFINITY): Promise<InboxRead | null> {
  return withInboxFile(inbox, path, async (handle, size) => {
    if (size > maxBytes) return { bytes: null, sha256: await sha256OfHandle(handle, size), size };
    const bytes = await handle.readFile();
    return { bytes, sha256: sha256Of(bytes), size: bytes.length };
  });
}

/** The SHA-256 of a regular inbox file as it is now; null when it is gone or no longer a regular file. */
export async function hashInboxFile(inbox: string, path: string): Promise<string | null> {
  return withInboxFile(inbox, path, sha256OfHandle);
}

async function withInboxFile<T>(inbox: string, path: string, use: (handle: FileHandle, size: number) => Promise<T>): Promise<T | null> {
  await assertInside(dirname(path), inbox);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
  if (handle === null) return null;
  try {
    const info = await handle.stat();
    return info.isFile() ? await use(handle, info.size) : null;
  } finally {
    await handle.close();
  }
}

/**
 * Takes an entry out of the inbox to its destination under out/. A regular file is moved. A
 * symbolic link is never followed nor moved (a link in out/ could point anywhere): a note of where
 * it pointed takes its place at the destination, and the link is removed from the inbox.
 */
export async function moveOutOfInbox(layout: Layout, source: string, destination: string): Promise<void> {
  const entry = await lstat(source).catch(() => null);
  if (!entry?.isSymbolicLink()) return moveFile(source, destination, layout.inbox, intoOut(layout));
  await assertInside(dirname(source), layout.inbox);
  await writeFileAtomic(destination, `symbolic link to ${quoteInput(await readlink(source))}\n`, intoOut(layout));
  await unlink(source);
}
