import { Worker } from 'node:worker_threads';
import type { DepartmentConfig, Language } from '../config/config-schema.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { LetterFile, LetterRequest } from './render-letters.ts';

export interface RenderJob {
  id: number;
  study: AssessedStudy;
  config: DepartmentConfig;
  request: LetterRequest;
}

export type RenderReply = { id: number; files: LetterFile[]; error?: undefined } | { id: number; error: string; files?: undefined };

/** asks a thread to end once the jobs sent before are answered */
export const CLOSE_POOL = 'close';
/** a thread's word that it has loaded its modules and templates and takes letters now */
export const THREAD_READY = 'ready';

/**
 * Each thread's heap, bounded: left to itself V8 lets a thread's heap grow to about five times what
 * it keeps alive (two threads took 550 MB on a backlog); bounded, it collects sooner. With 256 MB
 * the threads still grew through a 10,000-study backlog (peak RSS 741 MB). The letter that needs
 * every fallback font renders in 48 MB (tests/letters/render-pool.test.ts; not in 24): 128 MB
 * leaves it more than twice that.
 */
const THREAD_MEMORY = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 };

/** a thread that has not ended this long after being asked is stopped */
const CLOSE_GRACE_MS = 10_000;

interface Pending {
  resolve: (files: LetterFile[]) => void;
  reject: (error: Error) => void;
  worker: Worker;
}

/**
 * Letter rendering on worker threads; a thread that dies is replaced and its jobs fail, never hang.
 * One thread starts at once; another only when a letter comes while every thread is busy (a
 * backlog), up to `size`: each thread costs a second of loading, which a quiet service never repays.
 */
export class RenderPool {
  readonly #workers: Worker[] = [];
  readonly #ready = new WeakSet<Worker>();
  readonly #size: number;
  readonly #pending = new Map<number, Pending>();
  readonly #options: { language: Language; templatesRoot: string };
  #next = 0;
  #closed = false;

  constructor(size: number, options: { language: Language; templatesRoot: string }) {
    this.#options = options;
    this.#size = Math.max(1, size);
    this.#workers.push(this.#spawn());
  }

  /** the most threads it runs */
  get size(): number {
    return this.#size;
  }

  /**
   * A study's letters. When two threads are up and idle (single arrivals), each letter is a job of
   * its own and the two render side by side, which halves the wait; in a backlog the threads are
   * busy and a study stays one job (each job's study is copied to its thread on the main thread).
   */
  async render(study: AssessedStudy, config: DepartmentConfig, request: LetterRequest): Promise<LetterFile[]> {
    if (this.#closed) throw new Error('the render pool is closed');
    if (request.kinds.length < 2) return this.#renderOn(study, config, request);
    // a second thread is started for the next study, which can then be split
    if (this.#workers.length < Math.min(2, this.#size)) this.#workers.push(this.#spawn());
    const idle = this.#workers.filter((worker) => this.#ready.has(worker) && this.#busy(worker) === 0);
    if (idle.length < 2) return this.#renderOn(study, config, request);
    const letters = await Promise.all(request.kinds.map((kind) => this.#renderOn(study, config, { ...request, kinds: [kind] })));
    return letters.flat();
  }

  #busy(worker: Worker): number {
    let jobs = 0;
    for (const pending of this.#pending.values()) if (pending.worker === worker) jobs++;
    return jobs;
  }

  #renderOn(study: AssessedStudy, config: DepartmentConfig, request: LetterRequest): Promise<LetterFile[]> {
    if (this.#closed) return Promise.reject(new Error('the render pool is closed'));
    const id = ++this.#next;
    if (this.#workers.length < this.#size && this.#workers.every((w) => this.#busy(w) > 0)) this.#workers.push(this.#spawn());
    // a thread still loading would hold the letter for up to a second: a ready one takes it, however busy
    const ready = this.#workers.filter((w) => this.#ready.has(w));
    const worker = (ready.length > 0 ? ready : this.#workers).reduce((least, w) => (this.#busy(w) < this.#busy(least) ? w : least));
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, worker });
      worker.postMessage({ id, study, config, request } satisfies RenderJob);
    });
  }

  /**
   * Each thread is asked to end and ends by itself: `terminate()` on a thread still loading its
   * modules or waiting on the disk is where Node has crashed the whole process.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map(endThread));
  }

  #spawn(): Worker {
    const worker = new Worker(new URL('./render-worker.ts', import.meta.url), { workerData: this.#options, resourceLimits: THREAD_MEMORY });
    worker.on('message', (reply: RenderReply | typeof THREAD_READY) => {
      if (reply === THREAD_READY) return void this.#ready.add(worker);
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (reply.error !== undefined) pending.reject(new Error(reply.error));
      else pending.resolve(reply.files.map((file) => ({ ...file, pdf: Buffer.from(file.pdf) })));
    });
    const fail = (error: Error) => {
      for (const [id, pending] of this.#pending) {
        if (pending.worker !== worker) continue;
        this.#pending.delete(id);
        pending.reject(error);
      }
      const index = this.#workers.indexOf(worker);
      if (!this.#closed && index >= 0) this.#workers[index] = this.#spawn();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.#closed) fail(new Error(`a letter-rendering thread stopped (exit code ${code})`));
    });
    return worker;
  }
}

async function endThread(worker: Worker): Promise<void> {
  if (worker.threadId < 0) return; // already ended
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage(CLOSE_POOL);
  const grace = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
  await ended;
  clearTimeout(grace);
}
