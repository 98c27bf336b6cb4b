/**
 * A letter-rendering thread: fonts and templates loaded once, then one study's letters per message.
 * Runs beside the service's main thread so rendering overlaps with its disk waits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Language } from '../config/config-schema.ts';
import { loadTemplates } from './load-templates.ts';
import { renderStudyLetters } from './render-letters.ts';
import { CLOSE_POOL, THREAD_READY, type RenderJob, type RenderReply } from './render-pool.ts';

const { language, templatesRoot } = workerData as { language: Language; templatesRoot: string };
const templates = await loadTemplates(language, templatesRoot);

parentPort?.on('message', (job: RenderJob | typeof CLOSE_POOL) => {
  // the pool's close: once the jobs before it are answered, the thread ends by itself
  if (job === CLOSE_POOL) return parentPort?.close();
  renderStudyLetters(job.study, job.config, templates, job.request).then(
    (letters) => {
      const files = letters.map(({ document: _document, ...file }) => file);
      // copied, not transferred: a Buffer may be a view into Node's shared pool (the PDFs are small)
      const reply: RenderReply = { id: job.id, files };
      parentPort?.postMessage(reply);
    },
    (error: unknown) => parentPort?.postMessage({ id: job.id, error: (error instanceof Error && error.message) || String(error) } satisfies RenderReply),
  );
});
parentPort?.postMessage(THREAD_READY);
