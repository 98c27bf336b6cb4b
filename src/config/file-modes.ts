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
