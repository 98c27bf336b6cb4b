import { dirname, resolve } from 'node:path';
import type { DepartmentConfig } from './config-schema.ts';

/** Permission bits of the files and folders the service writes. */
export interface FileModes {
  file: number;
  folder: number;
}

/** Patient data: readable by the service's own user only. */
export const OWNER_ONLY: FileModes = { file: 0o600, folder: 0o700 };

export function fileModes(config: DepartmentConfig): FileModes {
  return { file: parseInt(config.files.fileMode, 8), folder: parseInt(config.files.folderMode, 8) };
}

/**
 * The folders a `mkdir -p folder` made, given what it returned (the first one it made, or
 * undefined when all were there): each is to get the folder mode, which the umask may have narrowed.
 */
export function foldersMade(folder: string, first: string | undefined): string[] {
  if (first === undefined) return [];
  const made: string[] = [];
  for (let path = resolve(folder); ; path = dirname(path)) {
    made.push(path);
    if (path === resolve(first) || dirname(path) === path) return made;
  }
}
