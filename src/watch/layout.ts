import { readdir } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import { OWNER_ONLY, type FileModes } from '../config/file-modes.ts';
import { exists, type Within } from './move-file.ts';

/** The folders of a running service. */
export interface Layout {
  inbox: string;
  out: string;
  /** the modes of what is written under out/; owner-only when not given */
  modes?: FileModes;
}

/** Everything the service writes or moves lands inside out/. */
export const intoOut = (layout: Layout): Within => ({ root: layout.out, modes: layout.modes ?? OWNER_ONLY });

export const outFolders = (layout: Layout) => ({
  archive: join(layout.out, 'archive'),
  quarantine: join(layout.out, 'quarantine'),
  letters: join(layout.out, 'letters'),
  review: join(layout.out, 'review'),
  superseded: join(layout.out, 'superseded'),
  rejected: join(layout.out, 'rejected'),
});

import type { FileKind } from '../store/file-records.ts';

/** Context sidecars and notes travel with exports but are not exports themselves. */
export function fileKind(name: string): FileKind {
  if (/(^|\.)context\.json$/i.test(name)) return 'context';
  if (/\.(json|md|txt|pdf)$/i.test(name)) return 'other';
  return 'export';
}

/** Scanners and copy tools write hidden temporary files and rename them when done; those are not inputs yet. */
export function isTransient(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.partial') || /\.partial-\d+$/.test(name) || name.endsWith('~');
}

/**
 * The files in the inbox, sub-folders included: all not yet taken (every file taken leaves the
 * inbox). Symbolic links are listed (to be quarantined), never followed into.
 */
export async function inboxFiles(inbox: string): Promise<string[]> {
  const entries = await readdir(inbox, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && !isTransient(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

/** A file's path inside the inbox, with '/' between folders, and its folder ('' for the inbox itself). */
export function inboxPlace(inbox: string, path: string): { inboxPath: string; folder: string } {
  const inboxPath = relative(inbox, path).split(sep).join('/');
  return { inboxPath, folder: folderOf(inboxPath) };
}

/** The inbox folder of a file, by its path inside the inbox ('' for the inbox itself). */
export function folderOf(inboxPath: string): string {
  const folder = posix.dirname(inboxPath);
  return folder === '.' ? '' : folder;
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/** Where a file goes: the inbox's sub-folders are kept, so two files of the same name never meet. */
export function destinationFor(layout: Layout, relativePath: string, outcome: 'stored' | 'duplicate' | 'quarantined' | 'ignored' | 'context', at: Date): string {
  const folders = outFolders(layout);
  switch (outcome) {
    case 'stored':
    case 'context':
      return join(folders.archive, day(at), relativePath);
    case 'duplicate':
      return join(folders.archive, day(at), 'duplicates', relativePath);
    case 'ignored':
      return join(folders.archive, day(at), 'not-exports', relativePath);
    case 'quarantined':
      return join(folders.quarantine, day(at), relativePath);
  }
}

/** `name`, or `name~2`, `name~3`… when a file of that name already lies there. */
export async function freeName(path: string): Promise<string> {
  if (!(await exists(path))) return path;
  for (let n = 2; ; n++) {
    const candidate = join(dirname(path), `${basename(path)}~${n}`);
    if (!(await exists(candidate))) return candidate;
  }
}
