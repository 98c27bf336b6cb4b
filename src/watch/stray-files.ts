import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { StudyStore } from '../store/study-store.ts';
import { outFolders, type Layout } from './layout.ts';
import { TEMPORARY_NAME } from './move-file.ts';

export interface StrayFiles {
  /** files in out/letters and out/review that the store records as no letter */
  unknownLetters: string[];
  /** files under out/ with a temporary name: being written, or left by a process that stopped */
  temporaries: { path: string; pid: number; recorded: boolean }[];
  /** letters the store has in place in a folder of out/ where no such file lies (moved or deleted by hand, or a stop mid-approval) */
  missingLetters: string[];
}

/** What lies under out/ that the store cannot account for. */
export async function strayFiles(store: StudyStore, layout: Layout): Promise<StrayFiles> {
  const folders = outFolders(layout);
  const letterFolders = new Set([resolve(folders.letters), resolve(folders.review)]);
  const letters = await store.letters.paths();
  const recorded = new Set(letters.map((letter) => letterKey(letter.path)));
  const pending = new Set(letters.flatMap((letter) => (letter.temporaryPath === null ? [] : [letterKey(letter.temporaryPath)])));
  const entries = await readdir(layout.out, { withFileTypes: true, recursive: true }).catch(() => []);
  const unknownLetters: string[] = [];
  const temporaries: StrayFiles['temporaries'] = [];
  const present = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    present.add(letterKey(path));
    const temporary = TEMPORARY_NAME.exec(entry.name);
    if (temporary) temporaries.push({ path, pid: Number(temporary[1]), recorded: pending.has(letterKey(path)) });
    else if (letterFolders.has(resolve(entry.parentPath)) && !recorded.has(letterKey(path))) unknownLetters.push(path);
  }
  const inPlace = letters.filter((letter) => letter.inPlace);
  const missingLetters = inPlace.filter((row) => !present.has(letterKey(row.path))).map((row) => join(layout.out, letterKey(row.path)));
  return { unknownLetters: unknownLetters.sort(), temporaries: temporaries.sort((a, b) => a.path.localeCompare(b.path)), missingLetters: missingLetters.sort() };
}

/** Letters lie flat in their folder: folder and name identify one, whether the path was given relative or absolute. */
function letterKey(path: string): string {
  return `${basename(dirname(path))}/${basename(path)}`;
}
