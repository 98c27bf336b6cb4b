import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../store/database.ts';
import { incompleteFiles } from '../store/incomplete-files.ts';
import { inboxFiles, type Layout } from './layout.ts';
import { strayFiles } from './stray-files.ts';

export interface ServiceStatus {
  files: Record<string, number>;
  studies: Record<string, number>;
  letters: Record<string, number>;
  /** files waiting in the inbox (not yet taken) or taken but not yet moved */
  waiting: number;
  oldestWaiting: { path: string; since: string } | null;
  /** inbox files that read as incomplete, left there until they change or their wait is over */
  incomplete: { path: string; unchangedSince: string; tries: number; quarantineAt: string }[];
  /** files in out/letters and out/review the store does not know: never written by the service as it is */
  unknownLetters: string[];
  /** files under out/ with the service's temporary name: being written, or left by a stop */
  temporaryFiles: string[];
  /** letters the store records in place whose file is not there */
  missingLetters: string[];
}

/** Counts per state from the store, what still waits in the inbox, and what lies in out/ unaccounted for. */
export async function serviceStatus(db: Database, layout: Layout): Promise<ServiceStatus> {
  const { inbox } = layout;
  const count = (sql: string) => Object.fromEntries((db.prepare(sql).all() as { state: string; n: number }[]).map((row) => [row.state, row.n]));
  const files = count("SELECT CASE WHEN changed_after_read = 1 THEN 'changed after read' WHEN moved = 0 THEN 'in progress' ELSE outcome END AS state, COUNT(*) AS n FROM files GROUP BY 1");
  const studies = count(
    `SELECT CASE WHEN due_at IS NOT NULL AND EXISTS (SELECT 1 FROM instances n JOIN incomplete_files i ON i.folder = n.source_folder WHERE n.study_ref = s.id) THEN 'waiting for an incomplete file'
     WHEN due_at IS NOT NULL THEN 'waiting for quiet period' ELSE state END AS state, COUNT(*) AS n FROM studies s GROUP BY 1`,
  );
  const letters = count("SELECT CASE WHEN in_place = 0 THEN 'not yet in place' ELSE state END AS state, COUNT(*) AS n FROM letters GROUP BY 1");
  const waitingFiles = await Promise.all((await inboxFiles(inbox)).map(async (path) => ({ path, mtimeMs: (await lstat(path)).mtimeMs })));
  const oldest = waitingFiles.sort((a, b) => a.mtimeMs - b.mtimeMs)[0];
  const present = new Set(waitingFiles.map((file) => file.path));
  const incomplete = incompleteFiles(db)
    .map((file) => ({ path: join(inbox, file.inbox_path), unchangedSince: file.unchanged_since, tries: file.tries, quarantineAt: file.quarantine_at }))
    .filter((file) => present.has(file.path));
  const stray = await strayFiles(db, layout);
  return {
    files,
    studies,
    letters,
    waiting: waitingFiles.length,
    oldestWaiting: oldest ? { path: oldest.path, since: new Date(oldest.mtimeMs).toISOString() } : null,
    incomplete,
    unknownLetters: stray.unknownLetters,
    temporaryFiles: stray.temporaries.map((file) => file.path),
    missingLetters: stray.missingLetters,
  };
}


/** One line per entry: a value (a path with a newline in it) is escaped by the printer, never split into lines of its own. */
export function formatStatus(status: ServiceStatus): string[] {
  const section = (title: string, counts: Record<string, number>) =>
    [`${title}:`, ...(Object.keys(counts).length === 0 ? ['  none'] : Object.entries(counts).sort().map(([state, n]) => `  ${state.padEnd(26)}${String(n).padStart(6)}`))];
  return [
    ...section('files', status.files),
    ...section('studies', status.studies),
    ...section('letters', status.letters),
    `waiting in the inbox: ${status.waiting}${status.oldestWaiting ? ` (oldest ${status.oldestWaiting.path}, since ${status.oldestWaiting.since})` : ''}`,
    `waiting as incomplete: ${status.incomplete.length}`,
    ...status.incomplete.map((file) => `  ${file.path} (unchanged since ${file.unchangedSince}, read ${file.tries}×; quarantined at ${file.quarantineAt} unless it changes)`),
    ...(status.unknownLetters.length > 0 ? [`letter files the store does not know: ${status.unknownLetters.length}`, ...status.unknownLetters.map((path) => `  ${path}`)] : []),
    ...(status.missingLetters.length > 0 ? [`recorded letters missing from out/: ${status.missingLetters.length}`, ...status.missingLetters.map((path) => `  ${path}`)] : []),
    ...(status.temporaryFiles.length > 0 ? [`unfinished temporary files: ${status.temporaryFiles.length}`, ...status.temporaryFiles.map((path) => `  ${path}`)] : []),
  ];
}
