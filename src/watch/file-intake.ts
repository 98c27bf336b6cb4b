import { lstat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { parseContext } from '../ingest/load-context.ts';
import { escapeControls } from '../model/control-characters.ts';
import { shortInput } from '../model/quote-input.ts';
import type { ReadLimits } from '../dicom/read-limits.ts';
import { readExportBytes } from '../ingest/read-file.ts';
import type { FileKind, FileOutcome } from '../store/file-records.ts';
import { decideIntake, endsTooEarly, type IntakeDecision, type IntakeFacts } from './intake-decision.ts';
import type { StudyStore } from '../store/study-store.ts';
import { destinationFor, fileKind, freeName, inboxPlace, intoOut, type Layout } from './layout.ts';
import { sha256OfFile } from './file-hash.ts';
import { hashInboxFile, moveOutOfInbox, readInboxFile } from './inbox-entries.ts';
import { crashPoint } from './crash-point.ts';
import { exists, moveFile, writeFileAtomic } from './move-file.ts';
import type { MovesToRecord } from './moves-to-record.ts';
import type { SettledFile } from './settle.ts';

export interface IntakeDeps {
  store: StudyStore;
  layout: Layout;
  quietMs: number;
  /** how long an export that reads as incomplete is left in the inbox, unchanged, before it is quarantined */
  incompleteWaitMs: number;
  /** how much work one export may cause before it is refused */
  limits: ReadLimits;
  logger: Logger;
  now?: () => Date;
  /** the service's: moves recorded with the next transaction; without it each is recorded at once */
  moves?: MovesToRecord;
}

/**
 * What became of a file: taken (recorded and moved), left in the inbox as incomplete until
 * `retryAt`, changed after it was read (to be taken again as a new file), or gone.
 */
export type TakeResult = { kind: 'taken'; outcome: FileOutcome } | { kind: 'incomplete'; retryAt: Date } | { kind: 'changed' } | { kind: 'gone' };

/**
 * Takes one settled inbox file: records it, decides its outcome (stored, duplicate, quarantined,
 * context, ignored) and where it goes, commits that, and only then moves it. A crash between the
 * commit and the move is finished by `finishInterruptedMoves` at the next start. An export that
 * reads as incomplete is left where it is until it changes or its wait is over.
 */
export async function takeFile(deps: IntakeDeps, path: string, settled: SettledFile): Promise<TakeResult> {
  const { store, layout, logger } = deps;
  const at = deps.now?.() ?? new Date();
  const { inboxPath, folder } = inboxPlace(layout.inbox, path);
  // an earlier file of this name moved, its move not yet recorded: recorded first, so its record is not taken for this file's
  if (deps.moves?.has(inboxPath)) await deps.moves.flush(store);
  const read = await readInboxFile(layout.inbox, path, deps.limits.maxFileBytes); // null: gone, or now a link
  const dueAt = new Date(at.getTime() + deps.quietMs).toISOString();
  if (read === null) {
    if (await store.incomplete.at(inboxPath)) await store.transaction((tx) => stopWaiting(tx, inboxPath, folder, dueAt));
    return { kind: 'gone' }; // gone before it could be read: someone else took it
  }
  const { bytes, sha256 } = read;
  crashPoint('intake:read');
  const kind = fileKind(basename(path));
  const resumed = await store.files.unfinishedAt(inboxPath, sha256);
  // read before as other bytes and not yet moved (a move that failed): that reading is withdrawn first
  for (const stale of await store.files.unfinishedAllAt(inboxPath)) {
    if (stale.sha256 === sha256) continue;
    if (stale.destination) await withdrawChanged(deps, { ...stale, destination: stale.destination });
    else await store.files.recordChangedAfterRead(stale.id, 'claimed, then changed before anything was decided; read again as a new file');
  }
  if (resumed?.outcome && resumed.destination) {
    const moved = await finishMove(deps, { ...resumed, destination: resumed.destination });
    return moved ? { kind: 'taken', outcome: resumed.outcome } : { kind: 'changed' };
  }
  // Instances sharing an inbox claim a file before deciding anything about it; one alone records
  // it together with its outcome (one disk sync), since nobody else can take it meanwhile.
  let claimed = resumed?.id ?? null;
  if (claimed === null && store.shared) {
    claimed = await store.files.claim({ inboxPath, size: settled.size, mtimeMs: settled.mtimeMs, sha256, kind });
    if (claimed === null) return { kind: 'gone' }; // another instance has it
    if ((await hashInboxFile(layout.inbox, path)) !== sha256) {
      // taken and moved by another instance between this one's read and its claim (or changed)
      await store.files.recordChangedAfterRead(claimed, 'gone or changed before it was taken: another instance took it, or it is read again');
      return { kind: 'gone' };
    }
  }
  // Received and its outcome are committed together (one disk sync); a crash before that commit
  // leaves the file in the inbox, to be read again.
  const decision = decideIntake(await intakeFacts(deps, { inboxPath, folder, kind, settled, sha256, bytes, size: read.size, at }));
  if (decision.kind === 'wait') {
    logger.info({ file: inboxPath, tries: decision.tries, retryAt: decision.retryAt, quarantineAt: decision.quarantineAt }, 'export incomplete: left in the inbox to be tried again');
    crashPoint('intake:incomplete');
    return { kind: 'incomplete', retryAt: decision.retryAt };
  }
  const outcome: FileOutcome = decision.kind;
  const destination = await freeName(destinationFor(layout, inboxPath, outcome, at));
  if (decision.kind === 'quarantined') {
    await writeFileAtomic(`${destination}.reason.txt`, reasonText(inboxPath, decision.reason), intoOut(layout));
    crashPoint('quarantine:reason-written');
  }
  let movesRecorded: number[] = [];
  const fileId = await store.transaction(async (tx) => {
    movesRecorded = (await deps.moves?.recordIn(tx)) ?? [];
    const id = claimed ?? (await tx.files.recordReceived({ inboxPath, size: settled.size, mtimeMs: settled.mtimeMs, sha256, kind }));
    const waited = await tx.incomplete.at(inboxPath);
    if (waited) {
      await tx.files.addEvent(id, 'waited', `read as incomplete before (${waited.problem}), left in the inbox`);
      await stopWaiting(tx, inboxPath, folder, dueAt);
    }
    await commitDecision(tx, decision, id, destination, { inboxPath, folder, dueAt, at });
    return id;
  });
  deps.moves?.done(movesRecorded);
  logDecision(logger, inboxPath, decision);
  crashPoint('intake:committed');
  const moved = await finishMove(deps, { id: fileId, inboxPath, destination, sha256, outcome });
  return moved ? { kind: 'taken', outcome } : { kind: 'changed' };
}

/** What the decision needs: the bytes read as what they are, an incomplete read noted, whether the instance is known. */
async function intakeFacts(deps: IntakeDeps, file: { inboxPath: string; folder: string; kind: FileKind; settled: SettledFile; sha256: string; bytes: Buffer | null; size: number; at: Date }): Promise<IntakeFacts> {
  const facts = { kind: file.kind, size: file.size, maxFileBytes: deps.limits.maxFileBytes, incomplete: null, duplicate: false, at: file.at };
  if (file.kind === 'other' || file.bytes === null) return { ...facts, read: null };
  if (file.kind === 'context') {
    const text = file.bytes.toString('utf8');
    return { ...facts, read: { context: parseContext(text, file.inboxPath), text } };
  }
  const read = readExportBytes(file.bytes, file.inboxPath, deps.limits);
  if (read.ok) return { ...facts, read: { export: read }, duplicate: await deps.store.studies.instanceExists(read.extraction.instance.sopInstanceUid) };
  if (!endsTooEarly(read.failure.code, file.bytes.length)) return { ...facts, read: { export: read } };
  const incomplete = await deps.store.incomplete.note({ inboxPath: file.inboxPath, folder: file.folder, size: file.settled.size, mtimeMs: file.settled.mtimeMs, sha256: file.sha256, problem: read.failure.error }, file.at, deps.incompleteWaitMs);
  return { ...facts, read: { export: read }, incomplete };
}

function logDecision(logger: Logger, file: string, decision: Exclude<IntakeDecision, { kind: 'wait' }>): void {
  switch (decision.kind) {
    case 'ignored':
      return logger.info({ file }, 'not an export: archived unread');
    case 'quarantined':
      return logger.warn({ file, reason: decision.reason }, 'file quarantined');
    case 'context':
      return logger.info({ file }, 'clinical context received');
    case 'stored':
    case 'duplicate': {
      const { sopInstanceUid } = decision.extraction.instance;
      return logger.info({ file, sopInstanceUid, study: decision.extraction.study.studyInstanceUid, outcome: decision.kind }, decision.kind === 'duplicate' ? 'duplicate instance archived' : 'instance stored');
    }
  }
}

/** Records what was decided, inside the transaction that records the file. */
async function commitDecision(tx: StudyStore, decision: Exclude<IntakeDecision, { kind: 'wait' }>, fileId: number, destination: string, place: { inboxPath: string; folder: string; dueAt: string; at: Date }): Promise<void> {
  switch (decision.kind) {
    case 'ignored':
    case 'quarantined':
      return tx.files.recordOutcome(fileId, decision.kind, destination, { reason: decision.reason });
    case 'context':
      await tx.context.keep({ folder: place.folder, name: basename(place.inboxPath) }, fileId, decision.content, place.at);
      await tx.studies.makeDue(await tx.studies.inFolder(place.folder), place.dueAt);
      return tx.files.recordOutcome(fileId, 'context', destination);
    case 'stored':
    case 'duplicate': {
      const { extraction } = decision;
      await tx.files.addEvent(fileId, 'parsed', `${extraction.instance.reader}: ${extraction.measurements.length} measurements, ${extraction.vfa.length} vertebrae`);
      if (decision.kind === 'stored') await tx.studies.storeInstance(extraction, fileId, { folder: place.folder, name: basename(place.inboxPath) }, place.dueAt);
      return tx.files.recordOutcome(fileId, decision.kind, destination, { sopInstanceUid: extraction.instance.sopInstanceUid });
    }
  }
}

/** The studies beside an incomplete file waited for it; now it is taken or gone, they need not. */
async function stopWaiting(store: StudyStore, inboxPath: string, folder: string, dueAt: string): Promise<void> {
  await store.incomplete.forget(inboxPath);
  await store.studies.makeDue(await store.studies.inFolder(folder), dueAt);
}

type RecordedFile = { id: number; inboxPath: string; destination: string; sha256: string; outcome: FileOutcome | null };

/**
 * Moves a recorded file to its destination, but only the bytes that were read: a file that
 * changed since is not archived under a record of other bytes. False when it changed.
 */
async function finishMove(deps: Pick<IntakeDeps, 'store' | 'layout' | 'logger' | 'moves'> & { quietMs?: number }, file: RecordedFile): Promise<boolean> {
  const { store, layout } = deps;
  const source = join(layout.inbox, file.inboxPath);
  const current = await hashInboxFile(layout.inbox, source);
  if (current !== null && current !== file.sha256) {
    await withdrawChanged(deps, file);
    return false;
  }
  // gone from the inbox and whole at its destination: moved by a run that stopped before recording
  // it (across file systems rename says EXDEV, not ENOENT, so moveFile cannot tell by itself)
  const arrived = current === null && (await sha256OfFile(file.destination)) === file.sha256;
  if (!arrived) {
    const regular = (await lstat(source).catch(() => null))?.isFile() === true;
    await moveOutOfInbox(layout, source, file.destination);
    // rewritten between the hash above and the move: what lies in the archive is not what was read
    if (regular && (await sha256OfFile(file.destination).catch(() => file.sha256)) !== file.sha256) {
      await putBackInInbox(layout, file.destination, source, file.id);
      await withdrawChanged(deps, file);
      return false;
    }
  }
  crashPoint('intake:moved');
  if (deps.moves) deps.moves.add(file.id, file.inboxPath);
  else await store.transaction((tx) => tx.files.recordMoved(file.id)); // the flag and its event in one disk sync
  return true;
}

/**
 * A file moved out of the inbox with bytes other than its record's goes back, under its own name
 * when that is free (else beside it), to be taken as the new file it is.
 */
async function putBackInInbox(layout: Layout, moved: string, original: string, fileId: number): Promise<void> {
  const back = (await exists(original)) ? `${original}.changed-${fileId}` : original;
  const out = intoOut(layout);
  await moveFile(moved, back, out.root, { root: layout.inbox, modes: out.modes });
}

/**
 * Closes the record of a file that changed after it was read, and takes back what was stored from
 * it (its instance, its clinical context): the file is read again as a new one.
 */
async function withdrawChanged(deps: Pick<IntakeDeps, 'store' | 'logger'> & { quietMs?: number }, file: RecordedFile): Promise<void> {
  const { store, logger } = deps;
  const dueAt = new Date(Date.now() + (deps.quietMs ?? 0)).toISOString();
  await store.transaction(async (tx) => {
    await tx.files.recordChangedAfterRead(file.id, 'the file changed in the inbox after it was read; read again as a new file');
    const study = await tx.studies.withdrawInstance(file.id);
    if (study !== null) {
      await tx.studies.makeDue([study], dueAt);
      await tx.audit.add(study, 'withdrawn', `the instance read from ${file.inboxPath} is withdrawn: the file changed after it was read, before it was archived; it is read again`);
    }
    const contextFolder = await tx.context.withdraw(file.id);
    if (contextFolder !== null) await tx.studies.makeDue(await tx.studies.inFolder(contextFolder), dueAt);
  });
  if (file.outcome === 'quarantined') await unlink(`${file.destination}.reason.txt`).catch(() => undefined);
  logger.warn({ file: file.inboxPath }, 'file changed after it was read: its record is closed and it is read again');
}

/**
 * At start-up, before watching: every file whose outcome was committed but which was not yet moved
 * is moved now. Files with no outcome yet are taken again as they are found in the inbox.
 */
export async function finishInterruptedMoves(store: StudyStore, layout: Layout, logger: Logger): Promise<number> {
  let finished = 0;
  for (const file of await store.files.unfinished()) {
    if (!file.outcome || !file.destination) {
      // Claimed by this instance (a shared store) but not decided on. While the file lies in the
      // inbox as it was read, the claim stands and the intake takes it up as it finds the file:
      // closed now, it would leave a moment in which another instance, seeing no claim, makes
      // the study beside it without this file. Gone or changed, the claim is closed.
      if ((await hashInboxFile(layout.inbox, join(layout.inbox, file.inboxPath))) === file.sha256) continue;
      await store.files.recordChangedAfterRead(file.id, 'claimed before a stop, nothing decided; gone or changed since');
      continue;
    }
    const source = join(layout.inbox, file.inboxPath);
    if (!(await exists(source)) && !(await exists(file.destination))) {
      logger.error({ file: file.inboxPath }, 'an unfinished file is neither in the inbox nor at its destination');
      continue;
    }
    if (file.outcome === 'quarantined' && !(await exists(`${file.destination}.reason.txt`))) {
      await writeFileAtomic(`${file.destination}.reason.txt`, reasonText(file.inboxPath, file.reason ?? 'quarantined'), intoOut(layout));
    }
    if (await finishMove({ store, layout, logger }, { ...file, destination: file.destination })) finished++;
    crashPoint('recovery:move-finished');
  }
  if (finished > 0) logger.info({ finished }, 'finished moves interrupted by the last stop');
  return finished;
}

/** A reason file's two lines, the file's inbox path and why; a person reads it with cat, so no control character goes in raw. */
export function reasonText(inboxPath: string, reason: string): string {
  return `${shortInput(inboxPath)}\n${escapeControls(reason)}\n`;
}
