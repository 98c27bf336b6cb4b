import type { StudyRecord } from '../store/study-records.ts';
import type { StudyStore } from '../store/study-store.ts';
import { commitStudy, prepareStudy, type AssemblyDeps } from './assemble-study.ts';
import { finishLetters } from './letter-recovery.ts';
import type { Logger } from './logger.ts';
import type { WorkQueue } from './work-queue.ts';

/** How long the scheduler leaves due studies alone once every one it took still had files to be taken. */
const AWAITING_INTAKE_MS = 200;

/**
 * Assembles due studies in waves: several render at once while the previous commit waits on the
 * disk; commits go one at a time, and a wave holds one study per patient so a prior commits
 * first. Studies are taken from the store (`claimDue`), so instances sharing a database never
 * assemble one study twice. Wakes when the next study's quiet period ends (and at least every second).
 * Assembly runs beside the intake (its own queue), so a backlog's letters are made while its
 * files are still read; but a study with a file of its folder still waiting to be taken waits for it.
 * Letters whose version was committed but which could not be put under their final names at once
 * are put there after each wave: nothing else would (the study is not made again for them).
 */
export class Scheduler {
  readonly #deps: AssemblyDeps & { store: StudyStore; logger: Logger };
  readonly #queue: WorkQueue;
  readonly #intakeFolders: ReadonlyMap<string, number>;
  readonly #waveSize: number;
  readonly #failureBackoffMs: number;
  #timer: NodeJS.Timeout | null = null;
  #awaitingIntakeSince = 0;
  #awaitingQueue = false;
  #stopped = false;

  /** `intakeFolders`: the inbox folders with files queued to be taken (how many each), kept by the intake */
  constructor(deps: AssemblyDeps, queue: WorkQueue, options: { waveSize: number; failureBackoffMs: number; intakeFolders: ReadonlyMap<string, number> }) {
    this.#deps = deps;
    this.#queue = queue;
    this.#intakeFolders = options.intakeFolders;
    this.#waveSize = options.waveSize;
    this.#failureBackoffMs = options.failureBackoffMs;
  }

  /** Every due study, wave after wave, until none is due. */
  readonly assembleDue = async (): Promise<void> => {
    const { store } = this.#deps;
    for (;;) {
      if (this.#stopped) return;
      const claimed = await store.transaction((tx) => tx.studies.claimDue(new Date().toISOString(), this.#waveSize));
      const wave = await this.#notAwaitingIntake(claimed);
      if (wave.length === 0) {
        if (claimed.length > 0) this.#awaitingIntakeSince = Date.now();
        return;
      }
      let commits = Promise.resolve();
      await Promise.all(
        wave.map((study) =>
          prepareStudy(this.#deps, study).then(
            (prepared) => {
              if (!prepared) return;
              const commit = commits.then(() => commitStudy(this.#deps, prepared)).catch((error: unknown) => this.#failed(study, error));
              commits = commit;
              return commit;
            },
            (error: unknown) => this.#failed(study, error),
          ),
        ),
      );
      await commits;
      // a commit that failed after its version was recorded left letters not in place: put them there now
      await this.placeRecorded();
    }
  };

  /** The claimed studies none of whose folders has a file queued to be taken; the others are let go, still due. */
  async #notAwaitingIntake(claimed: StudyRecord[]): Promise<StudyRecord[]> {
    const queued = this.#intakeFolders;
    if (claimed.length === 0 || queued.size === 0) return claimed;
    const folders = await this.#deps.store.studies.sourceFolders(claimed.map((study) => study.id));
    const ready: StudyRecord[] = [];
    for (const study of claimed) {
      if ([...(folders.get(study.id) ?? [])].some((folder) => queued.has(folder))) await this.#deps.store.studies.unclaim(study);
      else ready.push(study);
    }
    return ready;
  }

  /**
   * Puts this instance's recorded letters that are not yet under their final names in place; a
   * lost one is dropped and its study made again (due now). Says whether any is still not in place.
   */
  readonly placeRecorded = async (): Promise<boolean> => {
    const { store, layout, logger } = this.#deps;
    try {
      if ((await store.letters.notInPlace()).length === 0) return false;
      await finishLetters(store, layout, logger, { atStartUp: false });
      return (await store.letters.notInPlace()).length > 0;
    } catch (error) {
      logger.error({ err: error }, 'recorded letters could not be put in place; will retry');
      return true;
    }
  };

  /** A file was taken: a study that waited for its folder may be ready now. */
  readonly intakeMoved = (): void => {
    this.#awaitingIntakeSince = 0;
    this.schedule();
  };

  /** Sets the timer for the next due study. */
  readonly schedule = (): void => {
    if (this.#stopped) return;
    void this.#deps.store.studies.nextDueAt().then((due) => {
      if (this.#stopped) return;
      if (this.#timer) clearTimeout(this.#timer);
      const wait = due === null ? 1000 : Math.max(5, this.#awaitingIntakeLeft(), Math.min(1000, Date.parse(due) - Date.now()));
      this.#timer = setTimeout(() => void this.#wake(), wait);
    }, (error: unknown) => this.#deps.logger.error({ err: error }, 'the store could not say when the next study is due'));
  };

  /** How much longer due studies are left alone because each one taken last still had files queued. */
  #awaitingIntakeLeft(): number {
    return AWAITING_INTAKE_MS - (Date.now() - this.#awaitingIntakeSince);
  }

  async #wake(): Promise<void> {
    if (this.#stopped) return;
    if (this.#queue.pending > 0) {
      // the assembly running takes every study due before it ends: asking the store meanwhile (it
      // was every 5 ms) only cost the main thread; look again when it has ended
      if (!this.#awaitingQueue) {
        this.#awaitingQueue = true;
        void this.#queue.drained().then(() => {
          this.#awaitingQueue = false;
          this.schedule();
        });
      }
      return;
    }
    const next = await this.#deps.store.studies.nextDueAt().catch(() => null);
    if (next !== null && next <= new Date().toISOString() && this.#queue.pending === 0 && this.#awaitingIntakeLeft() <= 0) await this.#queue.push(this.assembleDue);
    this.schedule();
  }

  /**
   * One study that cannot be finished must not stop the others, nor be retried in a tight loop.
   * A failure after its version was committed (its letters could not be put in place) is not the
   * study's: it is not postponed, since making it again would find nothing changed and leave the
   * letters where they are; `placeRecorded` puts them in place.
   */
  async #failed(study: StudyRecord, error: unknown): Promise<void> {
    const { store, logger } = this.#deps;
    const retryAt = new Date(Date.now() + this.#failureBackoffMs).toISOString();
    const message = (error instanceof Error && error.message) || String(error);
    const unplaced = await store.letters.notInPlace(study.id).then((letters) => letters.some((letter) => letter.version === study.version + 1), () => false);
    if (unplaced) {
      await store.audit.add(study.id, 'error', `letters of version ${study.version + 1} were recorded but could not be put in place at once (${message}); they are put in place again`).catch((recordError: unknown) => logger.error({ study: study.studyUid, err: recordError }, 'the failure could not be recorded'));
      logger.error({ study: study.studyUid, err: error }, 'letters recorded but not put in place; will put them in place');
      return;
    }
    try {
      await store.transaction(async (tx) => {
        await tx.studies.postpone(study.id, retryAt);
        await tx.audit.add(study.id, 'error', `letters could not be made (${message}); next try at ${retryAt}`);
      });
    } catch (recordError) {
      logger.error({ study: study.studyUid, err: recordError }, 'the failure could not be recorded');
    }
    logger.error({ study: study.studyUid, err: error, retryAt }, 'study could not be finished; will retry');
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }
}
