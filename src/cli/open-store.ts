import { statSync } from 'node:fs';
import type { FileModes } from '../config/file-modes.ts';
import { isPostgresUrl, redactedUrl } from '../store/postgres-engine.ts';
import { NewerSchemaError } from '../store/store-errors.ts';
import { StudyStore } from '../store/study-store.ts';
import { isSqliteError, UserError } from './problems.ts';

/**
 * The store for the commands that read or act on it (`status`, `review …`): it must already be
 * there. Only `dexa watch` creates one, so a mistyped `--db` is told, not answered from a new
 * empty store.
 */
export async function openExistingStore(location: string, modes?: FileModes): Promise<StudyStore> {
  if (!isPostgresUrl(location) && isFolderAt(location, `${location}: no store here; check --db (only 'dexa watch' creates a store)`)) {
    throw new UserError(`${location}: is a folder, not a store; give --db the store file (such as data/dexa.db)`);
  }
  try {
    return await StudyStore.open(location, { modes });
  } catch (error) {
    throw storeProblem(location, error);
  }
}

/** Runs `work` on the existing store and closes it, whatever happens. */
export async function withExistingStore<T>(location: string, work: (store: StudyStore) => Promise<T>, modes?: FileModes): Promise<T> {
  const store = await openExistingStore(location, modes);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** SQLite's own refusals (not a database, unable to open, read-only) as one line naming the store; any other error as it is. */
export function storeProblem(file: string, error: unknown): unknown {
  if (isSqliteError(error)) return new UserError(`${file}: cannot be used as the store (${error.errstr ?? error.message}); check --db`);
  // a store a newer dexa has migrated is not a bug of this one
  if (error instanceof NewerSchemaError) return new UserError(`${file}: ${error.message}; run the newer dexa that made it`);
  if (isPostgresUrl(file) && isConnectionError(error)) return new UserError(`${redactedUrl(file)}: the PostgreSQL store cannot be reached (${(error as Error).message}); check --db`);
  return error;
}

/** A refused or failed connection (the server is down, the name is wrong, the database is missing). */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code === '3D000' || code === '28P01' || code === '28000');
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
