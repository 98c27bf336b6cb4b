/**
 * One backlog through the real service, in this process alone: `--studies N` studies (see
 * backlog-studies.ts, written by another process) are in the inbox when the service starts; measured until every study is
 * made and every letter written. `--engine sqlite|postgres` (PostgreSQL at DEXA_TEST_PG_URL, in a
 * schema of its own), `--names unique|colliding`. Prints a line for people and one `RESULT {…}`
 * line for bench/run.ts: seconds, cores busy (CPU time of all threads over the wall time), peak RSS
 * and the RSS every second.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/config/default-config.ts';
import { loadTemplates } from '../src/letters/load-templates.ts';
import { startService } from '../src/watch/service.ts';
import { restartWithServiceHeap } from '../src/cli/service-heap.ts';
import type { LetterNames } from './backlog-studies.ts';

// the service's heap, as `dexa watch` runs it (src/cli/service-heap.ts)
restartWithServiceHeap();

const { values } = parseArgs({ options: { studies: { type: 'string', default: '1000' }, engine: { type: 'string', default: 'sqlite' }, names: { type: 'string', default: 'unique' } } });
const studies = Number(values.studies);
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const names = (values.names === 'colliding' ? 'colliding' : 'unique') satisfies LetterNames;
const SETTLE_SECONDS = 2;
const POSTGRES_URL = process.env['DEXA_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const root = await mkdtemp(join(tmpdir(), 'dexa-bench-backlog-'));
const inbox = join(root, 'inbox');
const files = Number(execFileSync(process.execPath, [fileURLToPath(new URL('write-backlog.ts', import.meta.url)), '--inbox', inbox, '--studies', String(studies), '--names', names], { encoding: 'utf8' }).trim());

const database = engine === 'sqlite' ? { location: join(root, 'dexa.db'), drop: async () => undefined } : await postgresSchema();
const templates = await loadTemplates('nl');
const config = { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds: SETTLE_SECONDS, quietSeconds: 0 } };

const rssCurveMB: number[] = [];
const sampler = setInterval(() => rssCurveMB.push(Math.round(process.memoryUsage.rss() / 1e6)), 1000);
const cpuBefore = process.cpuUsage();
const start = performance.now();
const service = await startService({ inbox, out: join(root, 'out'), database: database.location, config, templates, logger: pino({ level: 'silent' }) });
await service.idle();
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
// released letters in letters/, held ones (every Hologic study) in review/
const letters = (await Promise.all(['letters', 'review'].map((folder) => readdir(join(root, 'out', folder)).catch(() => [])))).flat().filter((name) => name.endsWith('.pdf')).length;
await service.stop();
await database.drop();
await rm(root, { recursive: true, force: true });

const result = {
  studies, files, engine, names, seconds: round(seconds, 1), msPerStudy: round((seconds * 1000) / studies, 1),
  coresBusy: round((cpu.user + cpu.system) / 1e6 / seconds, 2), cores: availableParallelism(),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), letters, rssCurveMB,
};
console.log(`backlog on ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${names} accession numbers: ${studies} studies (${files} files, half GE, half Hologic) in ${result.seconds} s (${result.msPerStudy} ms per study, including the ${SETTLE_SECONDS} s settle once), ${result.coresBusy} of ${result.cores} cores busy, peak RSS ${result.peakRssMB} MB, ${letters} letters`);
console.log(`RESULT ${JSON.stringify(result)}`);

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

async function postgresSchema(): Promise<{ location: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  const schema = `dexa_bench_${process.pid}`;
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  return {
    location: `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
