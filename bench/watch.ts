/**
 * The watcher on a backlog and on single arrivals. Backlog: BENCH_STUDIES (default 1000) synthetic
 * studies of two SR files each are in the inbox when the service starts; reports files/second
 * until every letter is written. Latency: studies dropped one at a time; reports the time from a
 * study's last file being complete to its letters on disk, median and p95, with the settle time
 * and quiet period subtracted.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { FixtureStudy } from '../src/fixtures/fixture-spec.ts';
import { dualFemurScan, personAt, spineScan } from '../src/fixtures/scan-builders.ts';
import { writeGeSrInstance } from '../src/fixtures/write-ge-sr.ts';
import { DEFAULT_CONFIG } from '../src/config/default-config.ts';
import { loadTemplates } from '../src/letters/load-templates.ts';
import { startService } from '../src/watch/service.ts';

const backlog = Number(process.env['BENCH_STUDIES'] ?? 1000);
const samples = Number(process.env['BENCH_LATENCY_SAMPLES'] ?? 20);
const settleSeconds = 2;
const quietSeconds = 0;

function study(id: string): FixtureStudy {
  const patient = { id: `B-${id}`, family: 'Bench', given: 'Test', birthDate: '1955-01-01', sex: 'female' as const };
  const person = personAt(patient, '2026-06-01');
  return {
    id, description: '', exercises: [], patient, studyDate: '2026-06-01', referringPhysician: 'Bakker^P.',
    scanner: { manufacturer: 'GE Healthcare', model: 'Lunar iDXA', serial: '1', software: '15.10.046' },
    instances: [
      { scans: [spineScan(person, { L1: -1.2, L2: -1.4, L3: -1.3, L4: -1.1 }, ['L1-L4'])] },
      { scans: [dualFemurScan(person, { neck: -1.8, total: -1.2 }, { neck: -1.6, total: -1.0 }, true)] },
    ],
    profileInstances: [], context: { menopausalStatus: 'post', fractureHistory: [] },
    expected: { category: null, path: 'T', indexRegion: null, indexSide: null, indexScore: null, nhgBinary: null, flags: [], releasable: true, vertebralFractures: [] },
  };
}

async function dropStudy(inbox: string, s: FixtureStudy): Promise<void> {
  await mkdir(join(inbox, s.id), { recursive: true });
  await writeFile(join(inbox, s.id, 'context.json'), JSON.stringify(s.context));
  for (let i = 0; i < s.instances.length; i++) await writeFile(join(inbox, s.id, `SR${i + 1}.dcm`), writeGeSrInstance(s, i));
}

const countPdfs = async (folder: string) => (await readdir(folder).catch(() => [])).filter((name) => name.endsWith('.pdf')).length;
const templates = await loadTemplates('nl');
const config = { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds, quietSeconds } };

/** The same backlog through the service on each engine: the embedded SQLite store, and PostgreSQL where a server answers. */
async function backlogRun(engine: string, database: (root: string) => Promise<{ location: string; drop(): Promise<void> }>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'dexa-bench-backlog-'));
  const inbox = join(root, 'inbox');
  for (let i = 0; i < backlog; i++) await dropStudy(inbox, study(`backlog-${i}`));
  const store = await database(root);
  const start = performance.now();
  const service = await startService({ inbox, out: join(root, 'out'), database: store.location, config, templates, logger: pino({ level: 'silent' }) });
  await service.idle();
  const seconds = (performance.now() - start) / 1000;
  const letters = await countPdfs(join(root, 'out', 'letters'));
  await service.stop();
  console.log(`backlog on ${engine}: ${backlog} studies, ${backlog * 2} SR files (+${backlog} context files) in ${seconds.toFixed(1)} s: ${((backlog * 2) / seconds).toFixed(0)} SR files/s, ${(backlog / seconds).toFixed(1)} studies/s, ${letters} letters (includes the ${settleSeconds} s settle time once)`);
  await store.drop();
  await rm(root, { recursive: true, force: true });
}

await backlogRun('SQLite', async (root) => ({ location: join(root, 'dexa.db'), drop: async () => {} }));
const postgresUrl = process.env['DEXA_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
if (await admin.connect().then(() => true, () => false)) {
  await backlogRun('PostgreSQL', async () => {
    const schema = `dexa_bench_${process.pid}`;
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    return { location: `${postgresUrl}${postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`, drop: async () => void (await admin.query(`DROP SCHEMA ${schema} CASCADE`)) };
  });
  await admin.end();
} else console.log(`backlog on PostgreSQL: skipped, no server answers at ${postgresUrl} (set DEXA_TEST_PG_URL)`);

{
  const root = await mkdtemp(join(tmpdir(), 'dexa-bench-latency-'));
  const inbox = join(root, 'inbox');
  const letters = join(root, 'out', 'letters');
  const service = await startService({ inbox, out: join(root, 'out'), database: join(root, 'dexa.db'), config, templates, logger: pino({ level: 'silent' }) });
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const before = await countPdfs(letters);
    await dropStudy(inbox, study(`latency-${i}`));
    const complete = performance.now();
    while ((await countPdfs(letters)) < before + 2) await new Promise((resolve) => setTimeout(resolve, 5));
    latencies.push(performance.now() - complete - (settleSeconds + quietSeconds) * 1000);
  }
  await service.stop();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(0);
  console.log(`latency, file complete → both letters on disk, settle (${settleSeconds} s) and quiet period (${quietSeconds} s) subtracted: median ${at(0.5)} ms, p95 ${at(0.95)} ms over ${samples} studies`);
  await rm(root, { recursive: true, force: true });
}
