import { lstat, mkdir, realpath } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { fileModes, type FileModes } from '../config/file-modes.ts';
import type { Templates } from '../letters/load-templates.ts';
import { openDatabase, type Database } from '../store/database.ts';
import { lockStore } from '../store/store-lock.ts';
import { audit } from '../store/audit-log.ts';
import { RenderPool } from '../letters/render-pool.ts';
import { dueStudies, nextDueAt, setStudyState, type StudyRecord } from '../store/study-records.ts';
import { commitStudy, prepareStudy, type AssemblyDeps } from './assemble-study.ts';
import { nextDueBesideNoIncomplete } from '../store/incomplete-files.ts';
import { finishInterruptedMoves, takeFile, type TakeResult } from './file-intake.ts';
import { IncompleteWaits } from './incomplete-waits.ts';
import { finishLetters } from './letter-recovery.ts';
import { inboxFiles, isTransient, outFolders, type Layout } from './layout.ts';
import { takeLink } from './link-intake.ts';
import { createFolder, makeFolder } from './move-file.ts';
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
  /** letter-rendering threads; default one per core but one, and at least one */
  renderThreads?: number;
}

export interface RunningService {
  db: Database;
  /** resolves when every file seen so far is taken and every due study is done */
  idle(): Promise<void>;
  /** stops watching, finishes the file in hand and closes the store */
  stop(): Promise<void>;
}

/**
 * The watcher: inbox in; archive, quarantine, letters and review out; everything recorded in the
 * store. One per store: a second one on the same store fails with StoreInUseError.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const modes = fileModes(options.config);
  const lock = options.database === ':memory:' ? null : await lockStore(options.database, modes);
  try {
    return await runService(options, modes, () => lock?.release());
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function runService(options: ServiceOptions, modes: FileModes, unlock: () => void): Promise<RunningService> {
  const { config, templates, logger } = options;
  await mkdir(options.inbox, { recursive: true });
  await createFolder(options.out, modes);
  // the inbox by its real path: what is inside it is judged against that, never through a link
  const layout: Layout = { inbox: await realpath(options.inbox), out: options.out, modes };
  for (const folder of Object.values(outFolders(layout))) await makeFolder(folder, { root: layout.out, modes });
  const db = openDatabase(options.database, modes);
  // A move that cannot be finished (a full disk, or a path that now leads outside its folder and is
  // refused) is tried again with the retries below; it must not keep the service from starting.
  const finishMoves = () => finishInterruptedMoves(db, layout, logger).catch((error: unknown) => logger.error({ err: error }, 'an interrupted move could not be finished; will retry'));
  await finishMoves();
  await finishLetters(db, layout, logger, { atStartUp: true });

  const settleMs = config.watch.settleSeconds * 1000;
  const quietMs = config.watch.quietSeconds * 1000;
  const stopping = new AbortController();
  const queue = new WorkQueue((error) => logger.error({ err: error }, 'a job failed; the service goes on'));
  const settling = new Map<string, Promise<void>>();
  const incomplete = new IncompleteWaits();
  const incompleteWaitMs = config.watch.incompleteWaitSeconds * 1000;

  const pool = new RenderPool(options.renderThreads ?? Math.max(1, availableParallelism() - 1), {
    language: templates.language,
    templatesRoot: dirname(templates.folder),
  });
  const deps: AssemblyDeps = { db, layout, config, templates, logger, render: (study, request) => pool.render(study, config, request) };
  const failed = (study: StudyRecord, error: unknown) => {
    // one study that cannot be finished must not stop the others, nor be retried in a tight loop
    const retryAt = new Date(Date.now() + (options.failureBackoffMs ?? 60_000)).toISOString();
    setStudyState(db, study.id, { dueAt: retryAt });
    audit(db, study.id, 'error', `letters could not be made (${(error instanceof Error && error.message) || String(error)}); next try at ${retryAt}`);
    logger.error({ study: study.study_uid, err: error, retryAt }, 'study could not be finished; will retry');
  };
  // Due studies in waves: several render at once while the previous commit waits on the disk;
  // commits go one at a time, and a wave holds one study per patient so a prior commits first.
  const assembleDue = async () => {
    for (;;) {
      if (stopping.signal.aborted) return;
      const wave = onePerPatient(dueStudies(db, new Date().toISOString()), pool.size + 1);
      if (wave.length === 0) return;
      let commits = Promise.resolve();
      await Promise.all(
        wave.map((study) =>
          prepareStudy(deps, study).then(
            (prepared) => {
              if (!prepared) return;
              const commit = commits.then(() => commitStudy(deps, prepared)).catch((error: unknown) => failed(study, error));
              commits = commit;
              return commit;
            },
            (error: unknown) => failed(study, error),
          ),
        ),
      );
      await commits;
    }
  };
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
  const intake = { db, layout, quietMs, incompleteWaitMs, limits: config.limits, logger };
  const take = async (job: () => Promise<unknown>) => {
    await queue.push(job);
    schedule();
  };
  const consider = (path: string) => {
    if (stopping.signal.aborted || settling.has(path) || isTransient(basename(path))) return;
    incomplete.cancel(path); // a change is tried at once, whatever the back-off said
    const job = lstat(path).then(
      async (entry) => {
        if (entry.isSymbolicLink()) return take(() => takeLink(intake, path));
        const settled = await waitUntilSettled(path, settleMs, stopping.signal);
        if (!settled || stopping.signal.aborted) return;
        let result: TakeResult | null = null;
        await take(async () => (result = await takeFile(intake, path, settled)));
        const taken = result as TakeResult | null;
        if (taken?.kind === 'incomplete') incomplete.wait(path, settled, taken.retryAt, consider);
        if (taken?.kind === 'changed') setTimeout(() => consider(path), 0);
      },
      () => undefined, // gone already
    );
    settling.set(path, job.finally(() => settling.delete(path)));
  };

  // Everything the intake calls exists before the watcher starts: files that settle during its
  // first walk of a full inbox are taken before it reports ready.
  const watcher: FSWatcher = watch(layout.inbox, {
    ignoreInitial: false,
    persistent: true,
    // a link is quarantined as a link: a link to /etc must never make the service take /etc's files
    followSymlinks: false,
    usePolling: options.usePolling ?? false,
    interval: 500,
  });
  watcher.on('add', consider).on('change', consider).on('error', (error) => logger.error({ err: error }, 'watcher error'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  schedule();
  // Safety net: moves that failed (a full disk, a blocked path) are retried, and anything in the
  // inbox the watcher did not report (events are lost on some network shares) is taken after all.
  const retry = setInterval(() => {
    if (stopping.signal.aborted) return;
    void queue.push(async () => {
      await finishMoves();
      await finishLetters(db, layout, logger, { atStartUp: false });
      for (const path of await untaken()) consider(path);
    });
  }, options.retryMs ?? 30_000);
  logger.info({ inbox: options.inbox, out: options.out, database: options.database, settleSeconds: config.watch.settleSeconds, quietSeconds: config.watch.quietSeconds }, 'watching the inbox');
  // inbox files still to be taken; incomplete ones that have not changed wait for their next try
  async function untaken(): Promise<string[]> {
    const files = await inboxFiles(layout.inbox);
    const waiting = await Promise.all(files.map((path) => incomplete.unchanged(path)));
    return files.filter((_, i) => !waiting[i]);
  }

  return {
    db,
    async idle() {
      for (;;) {
        await Promise.all([...settling.values()]);
        await queue.drained();
        const due = nextDueBesideNoIncomplete(db); // a study beside an incomplete file waits for it, maybe for minutes
        if (settling.size === 0 && queue.pending === 0 && (await untaken()).length > 0) {
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
      incomplete.clear();
      if (timer) clearTimeout(timer);
      clearInterval(retry);
      await watcher.close();
      await Promise.allSettled([...settling.values()]);
      await queue.drained();
      await pool.close();
      db.close();
      unlock();
      logger.info('stopped');
    },
  };
}

/** Up to `limit` studies, no two of one patient. */
function onePerPatient(studies: StudyRecord[], limit: number): StudyRecord[] {
  const patients = new Set<number>();
  const wave: StudyRecord[] = [];
  for (const study of studies) {
    if (wave.length >= limit) break;
    if (study.patient_ref !== null && patients.has(study.patient_ref)) continue;
    if (study.patient_ref !== null) patients.add(study.patient_ref);
    wave.push(study);
  }
  return wave;
}
