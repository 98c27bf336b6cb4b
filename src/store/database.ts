import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { foldersMade, OWNER_ONLY, type FileModes } from '../config/file-modes.ts';
import { migrate } from './migrations.ts';

export type Database = DatabaseSync;

/**
 * Opens (creating when missing) the study store: WAL journal, foreign keys on, migrated to the
 * latest schema. A store that is created is owner-only unless `modes` say otherwise; with `modes`
 * (the service and review, which know the configuration) an existing store gets them too.
 */
export function openDatabase(file: string, modes?: FileModes): Database {
  if (file !== ':memory:') createStoreFile(file, modes ?? OWNER_ONLY, modes !== undefined);
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;'); // the timeout first: another process may hold the store a moment (recovering its WAL after a crash)
  // SQLite gives a new -wal and -shm the database's own mode; ones left by an earlier run get it here
  if (file !== ':memory:' && modes) for (const extra of [`${file}-wal`, `${file}-shm`]) if (existsSync(extra)) chmodSync(extra, modes.file);
  migrate(db);
  return db;
}

/**
 * Creates the store's folder and an empty file with the given modes, so SQLite never creates it
 * world-readable; `always` sets the file's mode also when it was already there.
 */
export function createStoreFile(file: string, modes: FileModes, always: boolean): void {
  for (const made of foldersMade(dirname(file), mkdirSync(dirname(file), { recursive: true, mode: modes.folder }))) chmodSync(made, modes.folder);
  try {
    closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, modes.file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!always) return;
  }
  chmodSync(file, modes.file);
}

/** Runs `work` in one transaction: all of its changes land, or none. */
export function transaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export function now(): string {
  return new Date().toISOString();
}
