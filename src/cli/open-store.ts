import { statSync } from 'node:fs';
import type { FileModes } from '../config/file-modes.ts';
import { openDatabase, type Database } from '../store/database.ts';
import { isSqliteError, UserError } from './problems.ts';

/**
 * The store for the commands that read or act on it (`status`, `review …`): it must already be
 * there. Only `dexa watch` creates one, so a mistyped `--db` is told, not answered from a new
 * empty store.
 */
export function openExistingStore(file: string, modes?: FileModes): Database {
  if (isFolderAt(file, `${file}: no store here; check --db (only 'dexa watch' creates a store)`)) throw new UserError(`${file}: is a folder, not a store; give --db the store file (such as data/dexa.db)`);
  return storeOpened(file, () => openDatabase(file, modes));
}

function storeOpened<T>(file: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw storeProblem(file, error);
  }
}

/** SQLite's own refusals (not a database, unable to open, read-only) as one line naming the store; any other error as it is. */
export function storeProblem(file: string, error: unknown): unknown {
  if (isSqliteError(error)) return new UserError(`${file}: cannot be used as the store (${error.errstr ?? error.message}); check --db`);
  // migrations.ts: a store a newer dexa has migrated is not a bug of this one
  if (error instanceof Error && /^the database is at schema version \d+, newer than this program/.test(error.message)) {
    return new UserError(`${file}: ${error.message.replace(/^the database/, 'the store')}; run the newer dexa that made it`);
  }
  return error;
}

/**
 * A folder the service made that a command only reads or adds to (`--inbox`, `--out`): a
 * mistyped one is told, not reported as empty.
 */
export function existingFolder(path: string, option: string): void {
  if (!isFolderAt(path, `${path}: no such folder; check ${option} (the service makes it when it starts)`)) throw new UserError(`${path}: is a file, not a folder; check ${option}`);
}

/** Whether something at `path` is a folder; nothing there (or a path through a file) is a UserError saying `missing`. */
function isFolderAt(path: string, missing: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    throw new UserError(missing);
  }
}
