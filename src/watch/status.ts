import { lstat } from 'node:fs/promises';
import type { Database } from '../store/database.ts';
import { inboxFiles } from './layout.ts';

export interface ServiceStatus {
  files: Record<string, number>;
  studies: Record<string, number>;
  letters: Record<string, number>;
  /** files waiting in the inbox (not yet taken) or taken but not yet moved */
  waiting: number;
  oldestWaiting: { path: string; since: string } | null;
}

/** Counts per state from the store, and what still waits in the inbox. */
export async function serviceStatus(db: Database, inbox: string): Promise<ServiceStatus> {
  const count = (sql: string) => Object.fromEntries((db.prepare(sql).all() as { state: string; n: number }[]).map((row) => [row.state, row.n]));
  const files = count("SELECT CASE WHEN moved = 0 THEN 'in progress' ELSE outcome END AS state, COUNT(*) AS n FROM files GROUP BY 1");
  const studies = count("SELECT CASE WHEN due_at IS NOT NULL THEN 'waiting for quiet period' ELSE state END AS state, COUNT(*) AS n FROM studies GROUP BY 1");
  const letters = count('SELECT state, COUNT(*) AS n FROM letters GROUP BY state');
  const waitingFiles = await Promise.all((await inboxFiles(inbox)).map(async (path) => ({ path, mtimeMs: (await lstat(path)).mtimeMs })));
  const oldest = waitingFiles.sort((a, b) => a.mtimeMs - b.mtimeMs)[0];
  return {
    files,
    studies,
    letters,
    waiting: waitingFiles.length,
    oldestWaiting: oldest ? { path: oldest.path, since: new Date(oldest.mtimeMs).toISOString() } : null,
  };
}


export function formatStatus(status: ServiceStatus): string {
  const section = (title: string, counts: Record<string, number>) =>
    [`${title}:`, ...(Object.keys(counts).length === 0 ? ['  none'] : Object.entries(counts).sort().map(([state, n]) => `  ${state.padEnd(26)}${String(n).padStart(6)}`))];
  return [
    ...section('files', status.files),
    ...section('studies', status.studies),
    ...section('letters', status.letters),
    `waiting in the inbox: ${status.waiting}${status.oldestWaiting ? ` (oldest ${status.oldestWaiting.path}, since ${status.oldestWaiting.since})` : ''}`,
  ].join('\n');
}
