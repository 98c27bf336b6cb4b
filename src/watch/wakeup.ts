/**
 * One waiter's sleep that ends at its time, at a `wake()`, or when the signal aborts. A wake while
 * nobody sleeps is kept for the next sleep (until `clear()`), so a wake is never lost between sleeps.
 */
export class Wakeup {
  readonly #signal: AbortSignal | undefined;
  #woken = false;
  #endSleep: (() => void) | null = null;

  constructor(signal?: AbortSignal) {
    this.#signal = signal;
    signal?.addEventListener('abort', this.wake, { once: true });
  }

  readonly wake = (): void => {
    this.#woken = true;
    this.#endSleep?.();
  };

  clear(): void {
    this.#woken = false;
  }

  /** Sleeps `ms` milliseconds, or less if woken. */
  after(ms: number): Promise<void> {
    if (this.#woken || this.#signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      // rounded up: a timer that fires before the time asked would only cost another look
      const timer = setTimeout(() => this.#endSleep?.(), Math.ceil(ms));
      this.#endSleep = () => {
        clearTimeout(timer);
        this.#endSleep = null;
        resolve();
      };
    });
  }

  dispose(): void {
    this.#signal?.removeEventListener('abort', this.wake);
    this.#endSleep?.();
  }
}
