import { constants } from 'node:fs';
import { copyFile, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

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
  await unlink(source);
}

/** Writes a file whole or not at all: temporary name, fsync, rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.partial-${process.pid}`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncFolder(dirname(path));
}

async function syncFolder(folder: string): Promise<void> {
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
