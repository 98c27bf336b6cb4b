import { unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Logger } from 'pino';
import { parseContext } from '../ingest/load-context.ts';
import { escapeControls } from '../model/control-characters.ts';
import { shortInput } from '../model/quote-input.ts';
import type { ReadLimits } from '../dicom/read-limits.ts';
import { readExportBytes } from '../ingest/read-file.ts';
import { ProblemCode } from '../model/problems.ts';
import { audit } from '../store/audit-log.ts';
import { transaction, type Database } from '../store/database.ts';
import { addEvent, recordChangedAfterRead, recordMoved, recordOutcome, recordReceived, unfinishedFileAt, unfinishedFiles, unfinishedFilesAt, type FileOutcome } from '../store/file-records.ts';
import { forgetIncomplete, incompleteFileAt, noteIncomplete } from '../store/incomplete-files.ts';
import { instanceExists, makeDue, storeInstance, studiesInFolder, withdrawInstance } from '../store/study-records.ts';
import { destinationFor, fileKind, freeName, intoOut, type Layout } from './layout.ts';
import { sha256OfFile } from './file-hash.ts';
import { hashInboxFile, moveOutOfInbox, readInboxFile } from './inbox-entries.ts';
import { crashPoint } from './crash-point.ts';
import { exists, writeFileAtomic } from './move-file.ts';
import type { SettledFile } from './settle.ts';

export interface IntakeDeps {
  db: Database;
  layout: Layout;
  quietMs: number;
  /** how long an export that reads as incomplete is left in the inbox, unchanged, before it is quarantined */
  incompleteWaitMs: number;
  /** how much work one export may cause before it is refused */
  limits: ReadLimits;
  logger: Logger;
  now?: () => Date;
}

/**
 * What became of a file: taken (recorded and moved), left in the inbox as incomplete until
 * `retryAt`, changed after it was read (to be taken again as a new file), or gone.
 */
export type TakeResult = { kind: 'taken'; outcome: FileOutcome } | { kind: 'incomplete'; retryAt: Date } | { kind: 'changed' } | { kind: 'gone' };

/** Tries of an incomplete file back off: 1 s, 2 s, 4 s … a minute at most. */
const RETRY_CAP_MS = 60_000;

/**
 * Takes one settled inbox file: records it, decides its outcome (stored, duplicate, quarantined,
 * context, ignored) and where it goes, commits that, and only then moves it. A crash between the
 * commit and the move is finished by `finishInterruptedMoves` at the next start. An export that
 * reads as incomplete is left where it is until it changes or its wait is over.
 */
export async function takeFile(deps: IntakeDeps, path: string, settled: SettledFile): Promise<TakeResult> {
  const { db, layout, logger } = deps;
  const at = deps.now?.() ?? new Date();
  const inboxPath = relative(layout.inbox, path).split(sep).join('/');
  const read = await readInboxFile(layout.inbox, path, deps.limits.maxFileBytes); // null: gone, or now a link
  const folder = dirname(inboxPath) === '.' ? '' : dirname(inboxPath);
  const dueAt = new Date(at.getTime() + deps.quietMs).toISOString();
  if (read === null) {
    if (incompleteFileAt(db, inboxPath)) transaction(db, () => stopWaiting(db, inboxPath, folder, dueAt));
    return { kind: 'gone' }; // gone before it could be read: someone else took it
  }
  const { bytes, sha256 } = read;
  crashPoint('intake:read');
  const kind = fileKind(basename(path));
  const resumed = unfinishedFileAt(db, inboxPath, sha256);
  // read before as other bytes and not yet moved (a move that failed): that reading is withdrawn first
  for (const stale of unfinishedFilesAt(db, inboxPath)) {
    if (stale.sha256 !== sha256 && stale.destination) await withdrawChanged(deps, { ...stale, destination: stale.destination });
  }
  if (resumed?.outcome && resumed.destination) {
    const moved = await finishMove(deps, { ...resumed, destination: resumed.destination });
    return moved ? { kind: 'taken', outcome: resumed.outcome } : { kind: 'changed' };
  }
  // Received and its outcome are committed together (one disk sync); a crash before that commit
  // leaves the file in the inbox, to be read again.
  const commit = (outcome: FileOutcome, destination: string, detail: { reason?: string; sopInstanceUid?: string }, alsoDo: (fileId: number) => void = () => {}) =>
    transaction(db, () => {
      const fileId = resumed?.id ?? recordReceived(db, { inboxPath, size: settled.size, mtimeMs: settled.mtimeMs, sha256, kind });
      const waited = incompleteFileAt(db, inboxPath);
      if (waited) {
        addEvent(db, fileId, 'waited', `read as incomplete before (${waited.problem}), left in the inbox`);
        stopWaiting(db, inboxPath, folder, dueAt);
      }
      alsoDo(fileId);
      recordOutcome(db, fileId, outcome, destination, detail);
      return fileId;
    });

  let decided: { outcome: FileOutcome; destination: string; fileId: number };
  const quarantine = async (reason: string) => {
    const destination = await freeName(destinationFor(layout, inboxPath, 'quarantined', at));
    await writeFileAtomic(`${destination}.reason.txt`, reasonText(inboxPath, reason), intoOut(layout));
    crashPoint('quarantine:reason-written');
    const fileId = commit('quarantined', destination, { reason });
    logger.warn({ file: inboxPath, reason }, 'file quarantined');
    return { outcome: 'quarantined' as const, destination, fileId };
  };

  if (kind === 'other') {
    const destination = await freeName(destinationFor(layout, inboxPath, 'ignored', at));
    const fileId = commit('ignored', destination, { reason: 'not a DICOM export (notes and sidecars are archived, not read)' });
    logger.info({ file: inboxPath }, 'not an export: archived unread');
    decided = { outcome: 'ignored', destination, fileId };
  } else if (bytes === null) {
    decided = await quarantine(`${ProblemCode.LIMIT_EXCEEDED}: the file is ${read.size} bytes, more than the limit of ${deps.limits.maxFileBytes}; it was not read`);
  } else if (kind === 'context') {
    const parsed = parseContext(bytes.toString('utf8'), inboxPath);
    if (!parsed.ok) decided = await quarantine(parsed.problem.message);
    else {
      const destination = await freeName(destinationFor(layout, inboxPath, 'context', at));
      const fileId = commit('context', destination, {}, (id) => {
        db.prepare('INSERT INTO context_files (folder, name, file_ref, content, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (folder, name) DO UPDATE SET file_ref = excluded.file_ref, content = excluded.content, received_at = excluded.received_at')
          .run(folder, basename(inboxPath), id, bytes.toString('utf8'), at.toISOString());
        makeDue(db, studiesInFolder(db, folder), dueAt);
      });
      logger.info({ file: inboxPath }, 'clinical context received');
      decided = { outcome: 'context', destination, fileId };
    }
  } else {
    const extracted = readExportBytes(bytes, inboxPath, deps.limits);
    if (!extracted.ok && endsTooEarly(extracted.failure.code, bytes)) {
      const waiting = noteIncomplete(db, { inboxPath, folder, size: settled.size, mtimeMs: settled.mtimeMs, sha256, problem: extracted.failure.error }, at, deps.incompleteWaitMs);
      const quarantineAt = Date.parse(waiting.quarantine_at);
      if (at.getTime() < quarantineAt) {
        const retryAt = new Date(Math.min(quarantineAt, at.getTime() + Math.min(RETRY_CAP_MS, 1000 * 2 ** (waiting.tries - 1))));
        logger.info({ file: inboxPath, tries: waiting.tries, retryAt, quarantineAt: waiting.quarantine_at }, 'export incomplete: left in the inbox to be tried again');
        crashPoint('intake:incomplete');
        return { kind: 'incomplete', retryAt };
      }
      const waitedSeconds = Math.round((at.getTime() - Date.parse(waiting.unchanged_since)) / 1000);
      decided = await quarantine(`${extracted.failure.code}: ${extracted.failure.error}; still incomplete ${waitedSeconds} s after its last change`);
    } else if (!extracted.ok) decided = await quarantine(extracted.failure.error);
    else {
      const sop = extracted.extraction.instance.sopInstanceUid;
      const duplicate = instanceExists(db, sop);
      const destination = await freeName(destinationFor(layout, inboxPath, duplicate ? 'duplicate' : 'stored', at));
      const fileId = commit(duplicate ? 'duplicate' : 'stored', destination, { sopInstanceUid: sop }, (id) => {
        addEvent(db, id, 'parsed', `${extracted.extraction.instance.reader}: ${extracted.extraction.measurements.length} measurements, ${extracted.extraction.vfa.length} vertebrae`);
        if (!duplicate) storeInstance(db, extracted.extraction, id, { folder, name: basename(inboxPath) }, dueAt);
      });
      logger.info({ file: inboxPath, sopInstanceUid: sop, study: extracted.extraction.study.studyInstanceUid, outcome: duplicate ? 'duplicate' : 'stored' }, duplicate ? 'duplicate instance archived' : 'instance stored');
      decided = { outcome: duplicate ? 'duplicate' : 'stored', destination, fileId };
    }
  }
  crashPoint('intake:committed');
  const moved = await finishMove(deps, { id: decided.fileId, inbox_path: inboxPath, destination: decided.destination, sha256, outcome: decided.outcome });
  return moved ? { kind: 'taken', outcome: decided.outcome } : { kind: 'changed' };
}

/**
 * A read that failed because the file ends too soon: truncated, or a scanner that created the
 * file and stalled before (or within) the preamble. Such a file may still be being written.
 */
function endsTooEarly(code: ProblemCode, bytes: Uint8Array): boolean {
  return code === ProblemCode.TRUNCATED || code === ProblemCode.EMPTY_FILE || (code === ProblemCode.NOT_DICOM && bytes.length < DICOM_PREFIX_LENGTH);
}

/** The 128-byte preamble and `DICM`: a shorter file cannot show yet whether it is DICOM. */
const DICOM_PREFIX_LENGTH = 132;

/** The studies beside an incomplete file waited for it; now it is taken or gone, they need not. */
function stopWaiting(db: Database, inboxPath: string, folder: string, dueAt: string): void {
  forgetIncomplete(db, inboxPath);
  makeDue(db, studiesInFolder(db, folder), dueAt);
}

type RecordedFile = { id: number; inbox_path: string; destination: string; sha256: string; outcome: FileOutcome | null };

/**
 * Moves a recorded file to its destination, but only the bytes that were read: a file that
 * changed since is not archived under a record of other bytes. False when it changed.
 */
async function finishMove(deps: Pick<IntakeDeps, 'db' | 'layout' | 'logger'> & { quietMs?: number }, file: RecordedFile): Promise<boolean> {
  const { db, layout } = deps;
  const source = join(layout.inbox, file.inbox_path);
  const current = await hashInboxFile(layout.inbox, source);
  if (current !== null && current !== file.sha256) {
    await withdrawChanged(deps, file);
    return false;
  }
  // gone from the inbox and whole at its destination: moved by a run that stopped before recording
  // it (across file systems rename says EXDEV, not ENOENT, so moveFile cannot tell by itself)
  const arrived = current === null && (await sha256OfFile(file.destination)) === file.sha256;
  if (!arrived) await moveOutOfInbox(layout, source, file.destination);
  crashPoint('intake:moved');
  recordMoved(db, file.id);
  return true;
}

/**
 * Closes the record of a file that changed after it was read, and takes back what was stored from
 * it (its instance, its clinical context): the file is read again as a new one.
 */
async function withdrawChanged(deps: Pick<IntakeDeps, 'db' | 'logger'> & { quietMs?: number }, file: RecordedFile): Promise<void> {
  const { db, logger } = deps;
  const dueAt = new Date(Date.now() + (deps.quietMs ?? 0)).toISOString();
  transaction(db, () => {
    recordChangedAfterRead(db, file.id, 'the file changed in the inbox after it was read; read again as a new file');
    const study = withdrawInstance(db, file.id);
    if (study !== null) {
      makeDue(db, [study], dueAt);
      audit(db, study, 'withdrawn', `the instance read from ${file.inbox_path} is withdrawn: the file changed after it was read, before it was archived; it is read again`);
    }
    const context = db.prepare('DELETE FROM context_files WHERE file_ref = ? RETURNING folder').get(file.id) as { folder: string } | undefined;
    if (context) makeDue(db, studiesInFolder(db, context.folder), dueAt);
  });
  if (file.outcome === 'quarantined') await unlink(`${file.destination}.reason.txt`).catch(() => undefined);
  logger.warn({ file: file.inbox_path }, 'file changed after it was read: its record is closed and it is read again');
}

/**
 * At start-up, before watching: every file whose outcome was committed but which was not yet moved
 * is moved now. Files with no outcome yet are taken again as they are found in the inbox.
 */
export async function finishInterruptedMoves(db: Database, layout: Layout, logger: Logger): Promise<number> {
  let finished = 0;
  for (const file of unfinishedFiles(db)) {
    if (!file.outcome || !file.destination) continue;
    const source = join(layout.inbox, file.inbox_path);
    if (!(await exists(source)) && !(await exists(file.destination))) {
      logger.error({ file: file.inbox_path }, 'an unfinished file is neither in the inbox nor at its destination');
      continue;
    }
    if (file.outcome === 'quarantined' && !(await exists(`${file.destination}.reason.txt`))) {
      await writeFileAtomic(`${file.destination}.reason.txt`, reasonText(file.inbox_path, file.reason ?? 'quarantined'), intoOut(layout));
    }
    if (await finishMove({ db, layout, logger }, { ...file, destination: file.destination })) finished++;
    crashPoint('recovery:move-finished');
  }
  if (finished > 0) logger.info({ finished }, 'finished moves interrupted by the last stop');
  return finished;
}

/** A reason file's two lines, the file's inbox path and why; a person reads it with cat, so no control character goes in raw. */
export function reasonText(inboxPath: string, reason: string): string {
  return `${shortInput(inboxPath)}\n${escapeControls(reason)}\n`;
}
