import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { FileModes } from '../config/file-modes.ts';
import { isPostgresUrl, redactedUrl } from './postgres-engine.ts';
import { createStoreFile } from './sqlite-engine.ts';

/** Another service runs on this store. */
export class StoreInUseError extends Error {
  override readonly name = 'StoreInUseError';
  readonly pid: number | null;
  constructor(database: string, pid: number | null, instance?: string) {
    super(
      instance === undefined
        ? `the store ${database} is in use by another dexa watch (${pid === null ? 'its PID is unknown' : `PID ${pid}`}); one service per store`
        : `another dexa watch runs as instance '${instance}' on ${database}; give each instance its own name (--instance)`,
    );
    this.pid = pid;
  }
}

export interface StoreLock {
  release(): void | Promise<void>;
}

/**
 * One process per instance. On SQLite that is one service per store (`lockStore`); on PostgreSQL
 * one per instance name, by a session advisory lock that the server lets go of when the process's
 * connection ends, however it ends.
 */
export async function lockInstance(location: string, instance: string, modes: FileModes): Promise<StoreLock> {
  if (location === ':memory:') return { release() {} };
  if (!isPostgresUrl(location)) return lockStore(location, modes);
  const { default: pg } = await import('pg'); // only for a PostgreSQL store
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('dexa instance ' || $1)) AS locked", [instance]);
    if (rows[0]?.locked !== true) throw new StoreInUseError(redactedUrl(location), null, instance);
  } catch (error) {
    await client.end();
    throw error;
  }
  return { release: () => client.end() };
}

/**
 * One service per store. The lock is SQLite's exclusive lock on `<store>.lock`, held for as long
 * as the service runs: the operating system lets go of it when the process ends however it ends,
 * so no stale lock survives a crash, and no two processes can take it at once. The holder's PID
 * is written to `<store>.pid` for the one that is turned away.
 */
export async function lockStore(database: string, modes: FileModes): Promise<StoreLock> {
  const lockFile = `${database}.lock`;
  const pidFile = `${database}.pid`;
  createStoreFile(lockFile, modes, true);
  const lock = new DatabaseSync(lockFile, { timeout: 0 });
  try {
    lock.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE'); // no journal file: nothing is written
  } catch (error) {
    lock.close();
    if ((error as { errcode?: number }).errcode !== 5) throw error; // SQLITE_BUSY: another holds it
    throw new StoreInUseError(database, await holderPid(pidFile));
  }
  writeFileSync(pidFile, `${process.pid}\n`, { mode: modes.file });
  chmodSync(pidFile, modes.file);
  return {
    release() {
      if (readPid(pidFile) === process.pid) rmSync(pidFile, { force: true });
      lock.exec('ROLLBACK');
      lock.close();
    },
  };
}

/** The holder writes its PID just after taking the lock: wait a moment for it, and for a live one. */
async function holderPid(pidFile: string): Promise<number | null> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pid = readPid(pidFile);
    if (pid !== null && processIsAlive(pid)) return pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

function readPid(pidFile: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether a process of that id runs (EPERM: it does, as another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
