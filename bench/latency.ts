/**
 * Single arrivals: BENCH_LATENCY_SAMPLES (default 100) studies dropped one at a time into a running
 * service; the time from a study's last file being complete to its letters on disk, with the settle
 * time subtracted (the wait a department configures, not the service's own), median and p95.
 * Every study's bytes are made before the service starts: a scanner or a PACS writes them from
 * another process, and making them here, beside the service, would put their cost and their garbage
 * on the service's main thread.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/config/default-config.ts';
import { loadTemplates } from '../src/letters/load-templates.ts';
import { startService } from '../src/watch/service.ts';
import { restartWithServiceHeap } from '../src/cli/service-heap.ts';
import { benchStudy, benchStudyFiles, writeStudyFolder } from './backlog-studies.ts';

// the service's heap, as `dexa watch` runs it (src/cli/service-heap.ts)
restartWithServiceHeap();

const samples = Number(process.env['BENCH_LATENCY_SAMPLES'] ?? 100);
const SETTLE_SECONDS = 1;
// The first studies after start are not counted: they start the second render thread, and both
// threads' code is still being compiled (the first took 365 ms, the second 187); they are shown apart.
const WARM_UP = 3;

// GE studies (even numbers): released, so both letters land in letters/
const staged = Array.from({ length: WARM_UP + samples }, (_, index) => {
  const study = benchStudy(2 * index, 'unique');
  return { folder: study.id, files: benchStudyFiles(study) };
});
const root = await mkdtemp(join(tmpdir(), 'dexa-bench-latency-'));
const inbox = join(root, 'inbox');
const letters = join(root, 'out', 'letters');
const config = { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds: SETTLE_SECONDS, quietSeconds: 0 } };
const service = await startService({ inbox, out: join(root, 'out'), database: join(root, 'dexa.db'), config, templates: await loadTemplates('nl'), logger: pino({ level: 'silent' }) });
const countPdfs = async () => (await readdir(letters).catch(() => [])).filter((name) => name.endsWith('.pdf')).length;
const latencies: number[] = [];
const warmUp: number[] = [];
for (const [index, study] of staged.entries()) {
  const before = await countPdfs();
  await writeStudyFolder(inbox, study.folder, study.files);
  const complete = performance.now();
  while ((await countPdfs()) < before + 2) await new Promise((resolve) => setTimeout(resolve, 5));
  (index >= WARM_UP ? latencies : warmUp).push(performance.now() - complete - SETTLE_SECONDS * 1000);
}
await service.stop();
await rm(root, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
const result = { samples, medianMs: at(0.5), p95Ms: at(0.95), settleSeconds: SETTLE_SECONDS, firstStudiesMs: warmUp.map(Math.round) };
console.log(`latency, study complete → both letters on disk, the ${SETTLE_SECONDS} s settle subtracted: median ${result.medianMs} ms, p95 ${result.p95Ms} ms over ${samples} studies (the ${WARM_UP} first after start, not counted: ${result.firstStudiesMs.join(', ')} ms)`);
console.log(`RESULT ${JSON.stringify(result)}`);
