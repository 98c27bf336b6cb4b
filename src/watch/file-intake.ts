import { createHash } from 'node:crypto';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Logger } from 'pino';
import { parseContext } from '../ingest/load-context.ts';
import { readExportBytes } from '../ingest/read-file.ts';
import { transaction, type Database } from '../store/database.ts';
import { addEvent, recordMoved, recordOutcome, recordReceived, unfinishedFileAt, unfinishedFiles, type FileOutcome } from '../store/file-records.ts';
import { instanceExists, makeDue, storeInstance, studiesInFolder } from '../store/study-records.ts';
import { moveOutOfInbox, readInboxFile } from './inbox-entries.ts';
import { destinationFor, fileKind, freeName, intoOut, type Layout } from './layout.ts';
import { exists, writeFileAtomic } from './move-file.ts';
import type { SettledFile } from './settle.ts';

export interface IntakeDeps {
  db: Database;
  layout: Layout;
  quietMs: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Takes one settled inbox file: records it, decides its outcome (stored, duplicate, quarantined,
 * context, ignored) and where it goes, commits that, and only then moves it. A crash between the
 * commit and the move is finished by `finishInterruptedMoves` at the next start.
 */
export async function takeFile(deps: IntakeDeps, path: string, settled: SettledFile): Promise<FileOutcome | null> {
  const { db, layout, logger } = deps;
  const at = deps.now?.() ?? new Date();
  const bytes = await readInboxFile(layout.inbox, path);
  if (bytes === null) return null; // gone before it could be read (someone else took it), or now a link
  const inboxPath = relative(layout.inbox, path).split(sep).join('/');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const kind = fileKind(basename(path));
  const resumed = unfinishedFileAt(db, inboxPath, sha256);
  if (resumed?.outcome && resumed.destination) {
    await finishMove(db, layout, resumed.id, inboxPath, resumed.destination);
    return resumed.outcome;
  }
  const folder = dirname(inboxPath) === '.' ? '' : dirname(inboxPath);
  const dueAt = new Date(at.getTime() + deps.quietMs).toISOString();
  // Received and its outcome are committed together (one disk sync); a crash before that commit
  // leaves the file in the inbox, to be read again.
  const commit = (outcome: FileOutcome, destination: string, detail: { reason?: string; sopInstanceUid?: string }, alsoDo: (fileId: number) => void = () => {}) =>
    transaction(db, () => {
      const fileId = resumed?.id ?? recordReceived(db, { inboxPath, size: settled.size, mtimeMs: settled.mtimeMs, sha256, kind });
      alsoDo(fileId);
      recordOutcome(db, fileId, outcome, destination, detail);
      return fileId;
    });

  let decided: { outcome: FileOutcome; destination: string; fileId: number };
  const quarantine = async (reason: string) => {
    const destination = await freeName(destinationFor(layout, inboxPath, 'quarantined', at));
    await writeFileAtomic(`${destination}.reason.txt`, `${inboxPath}\n${reason}\n`, intoOut(layout));
    const fileId = commit('quarantined', destination, { reason });
    logger.warn({ file: inboxPath, reason }, 'file quarantined');
    return { outcome: 'quarantined' as const, destination, fileId };
  };

  if (kind === 'other') {
    const destination = await freeName(destinationFor(layout, inboxPath, 'ignored', at));
    const fileId = commit('ignored', destination, { reason: 'not a DICOM export (notes and sidecars are archived, not read)' });
    logger.info({ file: inboxPath }, 'not an export: archived unread');
    decided = { outcome: 'ignored', destination, fileId };
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
    const read = readExportBytes(bytes, inboxPath);
    if (!read.ok) decided = await quarantine(read.failure.error);
    else {
      const sop = read.extraction.instance.sopInstanceUid;
      const duplicate = instanceExists(db, sop);
      const destination = await freeName(destinationFor(layout, inboxPath, duplicate ? 'duplicate' : 'stored', at));
      const fileId = commit(duplicate ? 'duplicate' : 'stored', destination, { sopInstanceUid: sop }, (id) => {
        addEvent(db, id, 'parsed', `${read.extraction.instance.reader}: ${read.extraction.measurements.length} measurements, ${read.extraction.vfa.length} vertebrae`);
        if (!duplicate) storeInstance(db, read.extraction, id, { folder, name: basename(inboxPath) }, dueAt);
      });
      logger.info({ file: inboxPath, sopInstanceUid: sop, study: read.extraction.study.studyInstanceUid, outcome: duplicate ? 'duplicate' : 'stored' }, duplicate ? 'duplicate instance archived' : 'instance stored');
      decided = { outcome: duplicate ? 'duplicate' : 'stored', destination, fileId };
    }
  }
  await finishMove(db, layout, decided.fileId, inboxPath, decided.destination);
  return decided.outcome;
}

async function finishMove(db: Database, layout: Layout, fileId: number, inboxPath: string, destination: string): Promise<void> {
  await moveOutOfInbox(layout, join(layout.inbox, inboxPath), destination);
  recordMoved(db, fileId);
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
      await writeFileAtomic(`${file.destination}.reason.txt`, `${file.inbox_path}\n${file.reason ?? 'quarantined'}\n`, intoOut(layout));
    }
    await finishMove(db, layout, file.id, file.inbox_path, file.destination);
    finished++;
  }
  if (finished > 0) logger.info({ finished }, 'finished moves interrupted by the last stop');
  return finished;
}
