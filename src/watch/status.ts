import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DicomAssociation } from '../store/dicom-receipts.ts';
import type { StudyStore } from '../store/study-store.ts';
import { inboxFiles, type Layout } from './layout.ts';
import { strayFiles } from './stray-files.ts';

export interface ServiceStatus {
  files: Record<string, number>;
  studies: Record<string, number>;
  letters: Record<string, number>;
  /** the outbox: deliveries per state */
  deliveries: Record<string, number>;
  /** deliveries that failed after their last try: nothing will try them again */
  failedDeliveries: { id: number; study: string; version: number; destination: string; attempts: number; lastError: string }[];
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
  /** the DICOM receiver's last associations, newest first (accepted and refused) */
  dicomAssociations: DicomAssociation[];
}

/** How many of the DICOM receiver's last associations the status shows. */
export const LAST_ASSOCIATIONS = 10;

/** Counts per state from the store, what still waits in the inbox, and what lies in out/ unaccounted for. */
export async function serviceStatus(store: StudyStore, layout: Layout): Promise<ServiceStatus> {
  const { inbox } = layout;
  const files = await store.files.countsByState();
  const studies = await store.studies.countsByState();
  const letters = await store.letters.countsByState();
  const deliveries = await store.deliveries.countsByState();
  const failedDeliveries = (await store.deliveries.failed()).map((d) => ({ id: d.id, study: d.studyUid, version: d.version, destination: d.destination, attempts: d.attempts, lastError: d.lastError ?? '' }));
  const waitingFiles = await Promise.all((await inboxFiles(inbox)).map(async (path) => ({ path, mtimeMs: (await lstat(path)).mtimeMs })));
  const oldest = waitingFiles.sort((a, b) => a.mtimeMs - b.mtimeMs)[0];
  const present = new Set(waitingFiles.map((file) => file.path));
  const incomplete = (await store.incomplete.all())
    .map((file) => ({ path: join(inbox, file.inboxPath), unchangedSince: file.unchangedSince, tries: file.tries, quarantineAt: file.quarantineAt }))
    .filter((file) => present.has(file.path));
  const stray = await strayFiles(store, layout);
  return {
    files,
    studies,
    letters,
    deliveries,
    failedDeliveries,
    waiting: waitingFiles.length,
    oldestWaiting: oldest ? { path: oldest.path, since: new Date(oldest.mtimeMs).toISOString() } : null,
    incomplete,
    unknownLetters: stray.unknownLetters,
    temporaryFiles: stray.temporaries.map((file) => file.path),
    missingLetters: stray.missingLetters,
    dicomAssociations: await store.dicom.recentAssociations(LAST_ASSOCIATIONS),
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
    ...section('deliveries', status.deliveries),
    ...(status.failedDeliveries.length > 0
      ? [
          `deliveries failed for good: ${status.failedDeliveries.length}`,
          ...status.failedDeliveries.map((d) => `  ${d.study} version ${d.version} to ${d.destination}: ${d.attempts} tries, last: ${d.lastError}`),
          `  to try one again: dexa deliveries retry <id> (ids: ${status.failedDeliveries.map((d) => d.id).join(', ')})`,
        ]
      : []),
    `waiting in the inbox: ${status.waiting}${status.oldestWaiting ? ` (oldest ${status.oldestWaiting.path}, since ${status.oldestWaiting.since})` : ''}`,
    `waiting as incomplete: ${status.incomplete.length}`,
    ...status.incomplete.map((file) => `  ${file.path} (unchanged since ${file.unchangedSince}, read ${file.tries}×; quarantined at ${file.quarantineAt} unless it changes)`),
    ...(status.unknownLetters.length > 0 ? [`letter files the store does not know: ${status.unknownLetters.length}`, ...status.unknownLetters.map((path) => `  ${path}`)] : []),
    ...(status.missingLetters.length > 0 ? [`recorded letters missing from out/: ${status.missingLetters.length}`, ...status.missingLetters.map((path) => `  ${path}`)] : []),
    ...(status.temporaryFiles.length > 0 ? [`unfinished temporary files: ${status.temporaryFiles.length}`, ...status.temporaryFiles.map((path) => `  ${path}`)] : []),
    ...(status.dicomAssociations.length > 0 ? [`DICOM associations (last ${status.dicomAssociations.length}):`, ...status.dicomAssociations.flatMap(formatAssociation)] : []),
  ];
}

/** `  2026-… STORESCU from 10.0.0.5 → DEXA: released; received 7, stored 7, duplicates 0, refused 0`, and each reason for a refusal. */
export function formatAssociation(a: DicomAssociation): string[] {
  const counts = a.outcome === 'rejected' ? '' : `; received ${a.received}, stored ${a.stored}, duplicates ${a.duplicates}, refused ${a.refused}`;
  return [
    `  ${a.startedAt} ${a.callingAe} from ${a.address} to ${a.calledAe}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''}${counts}`,
    ...Object.entries(a.refusals).map(([why, n]) => `    refused ${n}×: ${why}`),
  ];
}
