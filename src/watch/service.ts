import { mkdir, realpath } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { fileModes, type FileModes } from '../config/file-modes.ts';
import type { Templates } from '../letters/load-templates.ts';
import { RenderPool } from '../letters/render-pool.ts';
import { lockInstance, type StoreLock } from '../store/store-lock.ts';
import { StudyStore, type StoreIdentity } from '../store/study-store.ts';
import type { AssemblyDeps } from './assemble-study.ts';
import { finishInterruptedMoves, takeFile } from './file-intake.ts';
import { InboxSource } from './inbox-source.ts';
import { finishLetters } from './letter-recovery.ts';
import { inboxPlace, outFolders, type Layout } from './layout.ts';
import { takeLink } from './link-intake.ts';
import type { Logger } from './logger.ts';
import { createFolder, makeFolder } from './move-file.ts';
import { Scheduler } from './scheduler.ts';
import { MovesToRecord } from './moves-to-record.ts';
import { WorkQueue } from './work-queue.ts';
import { destinationNames } from '../config/destinations.ts';
import { DeliveryLoop } from './delivery-loop.ts';
import { OutboxWorker } from './outbox-worker.ts';
import type { RunningReceiver } from '../network/receiver-server.ts';

export interface ServiceOptions extends Layout {
  /** the store: a SQLite file (or ':memory:') or a postgres:// URL */
  database: string;
  config: DepartmentConfig;
  templates: Templates;
  logger: Logger;
  /** this instance among several on one PostgreSQL store; default: one instance on its own */
  identity?: StoreIdentity;
  /** poll the inbox instead of relying on file-system events (network shares) */
  usePolling?: boolean;
  /** how often to retry unfinished moves and look through the inbox for anything the watcher missed */
  retryMs?: number;
  /** how long a study whose letters could not be made waits before the next try */
  failureBackoffMs?: number;
  /** letter-rendering threads; default one per core */
  renderThreads?: number;
  /** the DICOM receiver's port (0: any free one): starts it whether or not the configuration enables it */
  dicomPort?: number;
}

export interface RunningService {
  store: StudyStore;
  /**
   * resolves when nothing is left to do now: every file seen so far taken, every due study
   * assembled, every recorded letter under its final name, every due delivery settled
   */
  idle(): Promise<void>;
  /** a study was made due from outside (the review workstation): assemble it now */
  wake(): void;
  /** the DICOM receiver, when configured (dicom.enabled) or given a port */
  receiver: RunningReceiver | null;
  /** stops watching, finishes the file and the commit in hand (its letters put in place) and closes the store */
  stop(): Promise<void>;
}

/**
 * The watcher: inbox in; archive, quarantine, letters and review out; everything recorded in the
 * store. One process per instance: a second one on the same SQLite store (or with the same
 * instance name on one PostgreSQL store) fails with StoreInUseError.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const modes = fileModes(options.config);
  const lock = await lockInstance(options.database, options.identity?.instance ?? '', modes);
  let store: StudyStore | null = null;
  try {
    store = await StudyStore.open(options.database, { modes, identity: options.identity });
    return await runService(options, store, modes, lock);
  } catch (error) {
    await store?.close();
    await lock.release();
    throw error;
  }
}

async function runService(options: ServiceOptions, store: StudyStore, modes: FileModes, lock: StoreLock): Promise<RunningService> {
  const { config, templates, logger } = options;
  await mkdir(options.inbox, { recursive: true });
  await createFolder(options.out, modes);
  // the inbox by its real path: what is inside it is judged against that, never through a link
  const layout: Layout = { inbox: await realpath(options.inbox), out: options.out, modes };
  for (const folder of Object.values(outFolders(layout))) await makeFolder(folder, { root: layout.out, modes });
  // A move that cannot be finished (a full disk, or a path that now leads outside its folder and is
  // refused) is tried again with the retries below; it must not keep the service from starting.
  const moves = new MovesToRecord();
  const finishMoves = () =>
    moves
      .flush(store)
      .then(() => finishInterruptedMoves(store, layout, logger))
      .catch((error: unknown) => logger.error({ err: error }, 'an interrupted move could not be finished; will retry'));
  await store.studies.releaseClaimsOfThisInstance();
  await store.deliveries.releaseClaimsOfThisInstance();
  await finishMoves();
  await finishLetters(store, layout, logger, { atStartUp: true });

  // files are taken one at a time and studies assembled one wave at a time, the two side by side
  const onError = (error: unknown) => logger.error({ err: error }, 'a job failed; the service goes on');
  const intakeQueue = new WorkQueue(onError);
  const assemblyQueue = new WorkQueue(onError);
  const queues = [intakeQueue, assemblyQueue];
  const pending = () => intakeQueue.pending + assemblyQueue.pending;
  const drained = () => Promise.all(queues.map((queue) => queue.drained()));
  const queuedFolders = new Map<string, number>();
  // one per core: the main thread mostly waits on the disk and the store (measured: 40 of 67 s idle on a backlog)
  const pool = new RenderPool(options.renderThreads ?? availableParallelism(), {
    language: templates.language,
    templatesRoot: dirname(templates.folder),
  });
  const deliveries = new DeliveryLoop(store, new OutboxWorker(store, config.deliveries, modes, logger, { observer: config.signature.name, language: templates.language, setup: { config, templates } }), logger);
  const deps: AssemblyDeps = { store, layout, config, templates, logger, render: (study, request) => pool.render(study, config, request), destinations: destinationNames(config), released: () => deliveries.poke() };
  const failureBackoffMs = options.failureBackoffMs ?? 60_000;
  const scheduler = new Scheduler(deps, assemblyQueue, { waveSize: pool.size + 1, failureBackoffMs, intakeFolders: queuedFolders });
  const intake = { store, layout, moves, quietMs: config.watch.quietSeconds * 1000, incompleteWaitMs: config.watch.incompleteWaitSeconds * 1000, limits: config.limits, logger };
  const inQueue = async <T>(path: string, job: () => Promise<T>): Promise<T | null> => {
    const { folder } = inboxPlace(layout.inbox, path);
    queuedFolders.set(folder, (queuedFolders.get(folder) ?? 0) + 1);
    let result: T | null = null;
    try {
      await intakeQueue.push(async () => {
        result = await job();
        // the intake runs dry: the moves not yet recorded are recorded now
        if (intakeQueue.pending <= 1) await moves.flush(store);
      });
    } finally {
      const left = (queuedFolders.get(folder) ?? 1) - 1;
      if (left > 0) queuedFolders.set(folder, left);
      else queuedFolders.delete(folder);
    }
    scheduler.intakeMoved();
    return result;
  };
  // Everything the intake calls exists before the watcher starts: files that settle during its
  // first walk of a full inbox are taken before it reports ready.
  const source = new InboxSource(layout.inbox, config.watch.settleSeconds * 1000, {
    takeFile: (path, settled) => inQueue(path, () => takeFile(intake, path, settled)),
    takeLink: (path) => inQueue(path, () => takeLink(intake, path)),
  }, logger);
  await source.start(options.usePolling ?? false);
  scheduler.schedule();
  deliveries.start();
  // Safety net: moves that failed (a full disk, a blocked path) are retried, and anything in the
  // inbox the watcher did not report is taken after all.
  let stopped = false;
  const retry = setInterval(() => {
    if (stopped) return;
    void intakeQueue.push(async () => {
      await finishMoves();
      await source.rescan();
    });
    void assemblyQueue.push(() => finishLetters(store, layout, logger, { atStartUp: false }));
  }, options.retryMs ?? 30_000);
  logger.info({ inbox: options.inbox, out: options.out, store: store.location, instance: store.identity.instance || undefined, settleSeconds: config.watch.settleSeconds, quietSeconds: config.watch.quietSeconds }, 'watching the inbox');
  // the receiver writes into the inbox the watcher watches: from here on what it stores is taken
  let receiver: RunningReceiver | null = null;
  if (config.dicom.enabled || options.dicomPort !== undefined) {
    try {
      // loaded here, not at the top: a service without a receiver need not load dcmjs-dimse
      const { startReceiver } = await import('../network/receiver-server.ts');
      receiver = await startReceiver({ config: config.dicom, inbox: layout.inbox, store, logger, modes, ...(options.dicomPort === undefined ? {} : { port: options.dicomPort }) });
    } catch (error) {
      stopped = true;
      clearInterval(retry);
      scheduler.stop();
      await deliveries.stop();
      await source.stop();
      await drained();
      await pool.close();
      throw error;
    }
  }

  return {
    store,
    receiver,
    wake: () => scheduler.schedule(),
    async idle() {
      let nextPlacing = 0;
      for (;;) {
        await source.settled();
        await drained();
        const due = await store.studies.nextDueBesideNoIncomplete(); // a study beside an incomplete file waits for it, maybe for minutes
        const unplaced = (await store.letters.notInPlace()).length > 0;
        if (source.busy || pending() > 0) continue; // more came meanwhile: wait for that first
        if ((await source.untaken()).length > 0) {
          await new Promise((resolve) => setTimeout(resolve, 50)); // the watcher has not reported them yet
          continue;
        }
        if (source.busy || pending() > 0) continue;
        if (unplaced) {
          // letters recorded with their version but not yet under their final names (putting them
          // there failed): put in place now, and when that fails too, again after the failure back-off
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextPlacing - Date.now())));
          nextPlacing = Date.now() + failureBackoffMs;
          await assemblyQueue.push(scheduler.placeRecorded);
          continue;
        }
        if (due === null) {
          await deliveries.settled();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(10, Date.parse(due) - Date.now())));
        await assemblyQueue.push(scheduler.assembleDue);
      }
    },
    async stop() {
      // no object is answered Success once its store is closing: the receiver stops first
      await receiver?.stop();
      stopped = true;
      scheduler.stop();
      await deliveries.stop();
      clearInterval(retry);
      await source.stop();
      await drained();
      await moves.flush(store).catch((error: unknown) => logger.error({ err: error }, 'moves could not be recorded; the next start records them'));
      // letters recorded with their version but not yet in place are put there now, not left to the next start
      await scheduler.placeRecorded();
      await pool.close();
      await lock.release();
      await store.close();
      logger.info('stopped');
    },
  };
}
