import { constants } from 'node:fs';
import { lstat, open, readlink, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { quoteInput } from '../model/quote-input.ts';
import { assertInside } from './boundary.ts';
import { intoOut, type Layout } from './layout.ts';
import { moveFile, writeFileAtomic } from './move-file.ts';

/**
 * The bytes of a regular file in the inbox, read without following a symbolic link (nor blocking
 * on a pipe); null when it is gone or is no longer a regular file.
 */
export async function readInboxFile(inbox: string, path: string): Promise<Buffer | null> {
  await assertInside(dirname(path), inbox);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
  if (handle === null) return null;
  try {
    if (!(await handle.stat()).isFile()) return null;
    return await handle.readFile();
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
