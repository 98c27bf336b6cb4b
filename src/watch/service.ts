import { mkdir, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { DepartmentConfig } from '../config/config-schema.ts';
import type { Templates } from '../letters/load-templates.ts';
import { openDatabase, type Database } from '../store/database.ts';
import { audit } from '../store/audit-log.ts';
import { dueStudies, nextDueAt, setStudyState } from '../store/study-records.ts';
import { assembleStudy } from './assemble-study.ts';
import { finishInterruptedMoves, takeFile } from './file-intake.ts';
import { isTransient, outFolders, type Layout } from './layout.ts';
import type { Logger } from './logger.ts';
import { waitUntilSettled } from './settle.ts';
import { WorkQueue } from './work-queue.ts';

export interface ServiceOptions extends Layout {
  database: string;
  config: DepartmentConfig;
  templates: Templates;
  logger: Logger;
  /** poll the inbox instead of relying on file-system events (network shares) */
  usePolling?: boolean;
  /** how often to retry unfinished moves and look through the inbox for anything the watcher missed */
  retryMs?: number;
  /** how long a study whose letters could not be made waits before the next try */
  failureBackoffMs?: number;
}

export interface RunningService {
  db: Database;
  /** resolves when every file seen so far is taken and every due study is done */
  idle(): Promise<void>;
  /** stops watching, finishes the file in hand and closes the store */
  stop(): Promise<void>;
}

/** The watcher: inbox in; archive, quarantine, letters and review out; everything recorded in the store. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, templates, logger } = options;
  const layout: Layout = { inbox: options.inbox, out: options.out };
  await mkdir(options.inbox, { recursive: true });
  for (const folder of Object.values(outFolders(layout))) await mkdir(folder, { recursive: true });
  const db = openDatabase(options.database);
  await finishInterruptedMoves(db, layout, logger);

  const settleMs = config.watch.settleSeconds * 1000;
  const quietMs = config.watch.quietSeconds * 1000;
  const stopping = new AbortController();
  const queue = new WorkQueue((error) => logger.error({ err: error }, 'a job failed; the service goes on'));
  const settling = new Map<string, Promise<void>>();

  const assembleDue = async () => {
    for (const study of dueStudies(db, new Date().toISOString())) {
      if (stopping.signal.aborted) return;
      try {
        await assembleStudy({ db, layout, config, templates, logger }, study);
      } catch (error) {
        // one study that cannot be finished must not stop the others, nor be retried in a tight loop
        const retryAt = new Date(Date.now() + (options.failureBackoffMs ?? 60_000)).toISOString();
        setStudyState(db, study.id, { dueAt: retryAt });
        audit(db, study.id, 'error', `letters could not be made (${(error as Error).message}); next try at ${retryAt}`);
        logger.error({ study: study.study_uid, err: error, retryAt }, 'study could not be finished; will retry');
      }
    }
  };
  const consider = (path: string) => {
    if (stopping.signal.aborted || settling.has(path) || isTransient(basename(path))) return;
    const job = waitUntilSettled(path, settleMs, stopping.signal).then(async (settled) => {
      if (!settled || stopping.signal.aborted) return;
      await queue.push(() => takeFile({ db, layout, quietMs, logger }, path, settled));
      schedule();
    });
    settling.set(path, job.finally(() => settling.delete(path)));
  };

  const watcher: FSWatcher = watch(options.inbox, {
    ignoreInitial: false,
    persistent: true,
    usePolling: options.usePolling ?? false,
    interval: 500,
  });
  watcher.on('add', consider).on('change', consider).on('error', (error) => logger.error({ err: error }, 'watcher error'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  // Wakes when the next study's quiet period ends (checked again at least every second).
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (stopping.signal.aborted) return;
    if (timer) clearTimeout(timer);
    const due = nextDueAt(db);
    const wait = due === null ? 1000 : Math.max(5, Math.min(1000, Date.parse(due) - Date.now()));
    timer = setTimeout(() => {
      const next = nextDueAt(db);
      if (next !== null && next <= new Date().toISOString() && queue.pending === 0) void queue.push(assembleDue).then(schedule);
      else schedule();
    }, wait);
  };
  schedule();
  // Safety net: moves that failed (a full disk, a blocked path) are retried, and anything in the
  // inbox the watcher did not report (events are lost on some network shares) is taken after all.
  const retry = setInterval(() => {
    if (stopping.signal.aborted) return;
    void queue.push(async () => {
      await finishInterruptedMoves(db, layout, logger);
      for (const path of await inboxFiles(options.inbox)) consider(path);
    });
  }, options.retryMs ?? 30_000);
  logger.info({ inbox: options.inbox, out: options.out, database: options.database, settleSeconds: config.watch.settleSeconds, quietSeconds: config.watch.quietSeconds }, 'watching the inbox');

  return {
    db,
    async idle() {
      for (;;) {
        await Promise.all([...settling.values()]);
        await queue.drained();
        const due = nextDueAt(db);
        if (settling.size === 0 && queue.pending === 0 && (await untakenFiles(options.inbox)) > 0) {
          await new Promise((resolve) => setTimeout(resolve, 50)); // the watcher has not reported them yet
          continue;
        }
        if (settling.size === 0 && queue.pending === 0 && due === null) return;
        if (due !== null && settling.size === 0 && queue.pending === 0) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(10, Date.parse(due) - Date.now())));
          await queue.push(assembleDue);
        }
      }
    },
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer);
      clearInterval(retry);
      await watcher.close();
      await Promise.allSettled([...settling.values()]);
      await queue.drained();
      db.close();
      logger.info('stopped');
    },
  };
}

/** Files in the inbox the service has not taken yet (every file it takes leaves the inbox). */
async function inboxFiles(inbox: string): Promise<string[]> {
  const entries = await readdir(inbox, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !isTransient(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

async function untakenFiles(inbox: string): Promise<number> {
  return (await inboxFiles(inbox)).length;
}
