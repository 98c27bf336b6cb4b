import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import { safePart } from '../letters/file-name.ts';
import type { LetterRecord } from '../store/letter-records.ts';
import { isInside } from '../watch/boundary.ts';

/** The most a letter file may weigh: a letter is a few hundred kilobytes, never this. */
const MAX_LETTER_BYTES = 32 * 1024 * 1024;

/**
 * The bytes of a study's letter exactly as the store names it, or null when it cannot be served:
 * not in place yet, its path leads (through any link) outside the out folder, the file itself is
 * a link (opened with O_NOFOLLOW), not a regular file, or gone.
 */
export async function readLetterFile(letter: Pick<LetterRecord, 'path' | 'inPlace'>, out: string): Promise<Buffer | null> {
  if (!letter.inPlace) return null;
  try {
    const [real, realOut] = await Promise.all([realpath(letter.path), realpath(out)]);
    if (!isInside(real, realOut) || real === realOut) return null;
    const handle = await open(letter.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const [stat, checked] = await Promise.all([handle.stat(), lstat(real)]);
      // the file opened is the one judged inside out/, not one put in its place since
      if (!stat.isFile() || stat.dev !== checked.dev || stat.ino !== checked.ino || stat.size > MAX_LETTER_BYTES) return null;
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EACCES') return null;
    throw error;
  }
}

/** A download name that needs no quoting in a header: the stored name's safe characters, or the letter's kind and number. */
export function letterDownloadName(letter: Pick<LetterRecord, 'id' | 'kind' | 'path'>): string {
  const stem = safePart(basename(letter.path).replace(/\.pdf$/i, ''));
  return `${stem || `${letter.kind}-letter-${letter.id}`}.pdf`;
}
