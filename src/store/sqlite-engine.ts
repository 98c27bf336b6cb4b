import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { foldersMade, OWNER_ONLY, type FileModes } from '../config/file-modes.ts';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations.ts';
import { NewerSchemaError } from './store-errors.ts';

/**
 * Opens (creating when missing) an embedded store: WAL journal, foreign keys on, migrated to the
 * latest schema. A store that is created is owner-only unless `modes` say otherwise; with `modes`
 * (the service and review, which know the configuration) an existing store gets them too.
 */
export function openSqlite(file: string, modes?: FileModes): DatabaseSync {
  if (file !== ':memory:') createStoreFile(file, modes ?? OWNER_ONLY, modes !== undefined);
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;'); // the timeout first: another process may hold the store a moment (recovering its WAL after a crash)
    // SQLite gives a new -wal and -shm the database's own mode; ones left by an earlier run get it here
    if (file !== ':memory:' && modes) for (const extra of [`${file}-wal`, `${file}-shm`]) if (existsSync(extra)) chmodSync(extra, modes.file);
    migrateSqlite(db);
  } catch (error) {
    db.close();
    throw error;
  }
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

export function sqliteSchemaVersion(db: DatabaseSync): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version ?? 0;
}

/** Applies every migration above the store's version, up to `target` (the latest by default). */
export function migrateSqlite(db: DatabaseSync, target: number = LATEST_VERSION): number {
  const current = sqliteSchemaVersion(db);
  if (current > LATEST_VERSION) throw new NewerSchemaError(current);
  for (const migration of MIGRATIONS) {
    if (migration.version > current && migration.version <= target) applyMigration(db, migration);
  }
  return sqliteSchemaVersion(db);
}

function applyMigration(db: DatabaseSync, migration: Migration): void {
  // foreign keys cannot be switched inside a transaction; off, a table others refer to can be rebuilt
  if (migration.rebuildsTables) db.exec('PRAGMA foreign_keys = OFF');
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      const broken = db.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) throw new Error(`migration ${migration.version} would break ${broken.length} references between tables`);
      db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.description, new Date().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    if (migration.rebuildsTables) db.exec('PRAGMA foreign_keys = ON');
  }
}
