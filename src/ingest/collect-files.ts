import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface CollectedFiles {
  files: string[];
  missing: string[];
}

/**
 * The files to read under the given paths. Inside folders, notes and sidecars that sit beside
 * exports (`.json`, `.md`, `.txt`, hidden files) are not export candidates; a file named
 * explicitly is always read.
 */
export async function collectFiles(paths: string[]): Promise<CollectedFiles> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info === null) missing.push(path);
    else if (info.isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  return { files, missing };
}

export function isSidecarOrNote(name: string): boolean {
  return name.startsWith('.') || /\.(json|md|txt)$/i.test(name);
}

async function walk(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    if (isSidecarOrNote(entry.name)) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}
