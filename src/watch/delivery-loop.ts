import type { StudyStore } from '../store/study-store.ts';
import type { Logger } from './logger.ts';
import type { OutboxWorker } from './outbox-worker.ts';

/**
 * Runs the outbox worker whenever a delivery is due: at once after a release (`poke`), at the
 * next try of a failed one, and at least every second (another instance may have released).
 */
export class DeliveryLoop {
  readonly #store: StudyStore;
  readonly #worker: OutboxWorker;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(store: StudyStore, worker: OutboxWorker, logger: Logger) {
    this.#store = store;
    this.#worker = worker;
    this.#logger = logger;
  }

  start(): void {
    this.poke();
  }

  /** Looks for due deliveries now. */
  poke(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#running = this.#round().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.poke();
      } else void this.#plan();
    });
  }

  /** Resolves when no delivery is due now (those waiting for a later try are not waited for). */
  async settled(): Promise<void> {
    for (;;) {
      await this.#running;
      const next = await this.#store.deliveries.nextAttemptAt();
      if (this.#stopped || next === null || next > new Date().toISOString()) return;
      this.poke();
      await this.#running;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  async #round(): Promise<void> {
    try {
      await this.#worker.runDue();
    } catch (error) {
      this.#logger.error({ err: error }, 'the outbox could not be worked through; will retry');
    }
  }

  async #plan(): Promise<void> {
    if (this.#stopped) return;
    const next = await this.#store.deliveries.nextAttemptAt().catch(() => null);
    if (this.#stopped) return;
    const wait = next === null ? 1000 : Math.max(5, Math.min(1000, Date.parse(next) - Date.now()));
    this.#timer = setTimeout(() => this.poke(), wait);
  }
}
