import { constants } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { foldersMade, type FileModes } from '../config/file-modes.ts';
import { assertInside, BoundaryError } from './boundary.ts';
import { crashPoint } from './crash-point.ts';

/** Where a move or write may land (inside `root`), and the modes what lands there gets. */
export interface Within {
  root: string;
  modes: FileModes;
}

/**
 * Moves a file without ever losing it. Within one file system a rename is atomic. Across file
 * systems: copy to a temporary name beside the destination, fsync the copy, rename it into place,
 * fsync the folder, and only then remove the source. Idempotent: when the source is gone and the
 * destination is there, the move already happened. Only a regular file whose real path is inside
 * `from` is moved, and only to a place inside `to.root`; it arrives with `to`'s file mode.
 */
export async function moveFile(source: string, destination: string, from: string, to: Within): Promise<void> {
  const entry = await lstat(source).catch(() => null);
  if (entry === null && (await exists(destination))) return;
  if (entry !== null && !entry.isFile()) throw new BoundaryError(`${source} is not a regular file; it is not moved`);
  await assertInside(source, from);
  await makeFolder(dirname(destination), to);
  await assertInside(destination, to.root);
  try {
    // a file the service does not own (written by a scanner's account) cannot be given the mode: it is copied instead
    if (await setMode(source, to.modes.file)) {
      await rename(source, destination);
      crashPoint('move:renamed');
      await syncFolder(dirname(destination));
      return;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && (await exists(destination)) && !(await exists(source))) return;
    if (code !== 'EXDEV') throw error;
  }
  const temporary = temporaryName(destination);
  await unlink(temporary).catch(() => undefined); // this process's name: left by an earlier try, never another's file
  await copyFile(source, temporary, constants.COPYFILE_EXCL);
  const handle = await open(temporary, constants.O_RDWR | constants.O_NOFOLLOW);
  try {
    await handle.chmod(to.modes.file);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, destination);
  await syncFolder(dirname(destination));
  crashPoint('move:copied');
  await unlink(source);
}

/** Writes a file whole or not at all: temporary name, fsync, rename; only inside `to.root`, with its file mode. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, to: Within): Promise<void> {
  const temporary = temporaryName(path);
  await writeSynced(temporary, data, to);
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

/**
 * Writes and fsyncs a file inside `to.root`, with its file mode, never through a link; when that
 * fails (a full disk), nothing is left behind.
 */
export async function writeSynced(path: string, data: string | Uint8Array, to: Within): Promise<void> {
  await makeFolder(dirname(path), to);
  await assertInside(path, to.root);
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, to.modes.file);
  try {
    try {
      await handle.chmod(to.modes.file); // the umask may have narrowed it, and a department may want a group to read
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

/** `mkdir -p` inside `to.root`; every folder it makes gets `to`'s folder mode. */
export async function makeFolder(folder: string, to: Within): Promise<void> {
  await assertInside(folder, to.root);
  await createFolder(folder, to.modes);
}

/** `mkdir -p` without a boundary (for the service's own roots); every folder it makes gets the folder mode exactly. */
export async function createFolder(folder: string, modes: FileModes): Promise<void> {
  for (const made of foldersMade(folder, await mkdir(folder, { recursive: true, mode: modes.folder }))) await chmod(made, modes.folder);
}

/** chmod that never follows a symbolic link; false when the file belongs to another user. */
async function setMode(path: string, mode: number): Promise<boolean> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    await handle.chmod(mode);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw error;
  } finally {
    await handle.close();
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

/** Whether anything (a symbolic link too, even a dangling one) lies at `path`. */
export async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}
