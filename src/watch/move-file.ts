import { constants } from 'node:fs';
import { copyFile, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crashPoint } from './crash-point.ts';

/**
 * Moves a file without ever losing it. Within one file system a rename is atomic. Across file
 * systems: copy to a temporary name beside the destination, fsync the copy, rename it into place,
 * fsync the folder, and only then remove the source. Idempotent: when the source is gone and the
 * destination is there, the move already happened.
 */
export async function moveFile(source: string, destination: string): Promise<void> {
  await mkdir(dirname(destination), { recursive: true });
  try {
    await rename(source, destination);
    crashPoint('move:renamed');
    await syncFolder(dirname(destination));
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && (await exists(destination)) && !(await exists(source))) return;
    if (code !== 'EXDEV') throw error;
  }
  const temporary = `${destination}.partial-${process.pid}`;
  await copyFile(source, temporary, constants.COPYFILE_EXCL);
  const handle = await open(temporary, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, destination);
  await syncFolder(dirname(destination));
  crashPoint('move:copied');
  await unlink(source);
}

/** Writes a file whole or not at all: temporary name, fsync, rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryName(path);
  await writeSynced(temporary, data);
  await rename(temporary, path).catch(async (error: unknown) => {
    await unlink(temporary).catch(() => undefined);
    throw error;
  });
  await syncFolder(dirname(path));
}

/** The name a file of this process is written under before it is renamed into place. */
export function temporaryName(path: string): string {
  return `${path}.partial-${process.pid}`;
}

/** Such a temporary name, with the id of the process that wrote it. */
export const TEMPORARY_NAME = /\.partial-(\d+)$/;

/** Writes and fsyncs a file; when that fails (a full disk), nothing is left behind. */
export async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'w');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // some file systems cannot fsync a folder; the rename itself still happened
  } finally {
    await handle.close();
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
