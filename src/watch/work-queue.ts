/** Runs jobs one at a time, in order; a failing job is reported and the queue goes on. */
export class WorkQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  push(job: () => Promise<unknown>): Promise<void> {
    this.#pending++;
    const run = this.#tail.then(job).then(
      () => undefined,
      (error: unknown) => this.#onError(error),
    ).finally(() => {
      this.#pending--;
    });
    this.#tail = run;
    return run;
  }

  get pending(): number {
    return this.#pending;
  }

  /** Resolves when every job queued so far has run. */
  drained(): Promise<void> {
    return this.#tail;
  }
}
