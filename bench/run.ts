/**
 * npm run bench: every benchmark, each in its own process, and their numbers in bench/results.json.
 * The backlog runs at 100, 1,000 and 10,000 studies (`npm run bench -- --studies N` for one size,
 * `--studies 100,1000` for several)
 * on SQLite and, where a server answers at DEXA_TEST_PG_URL, PostgreSQL (up to 1,000 studies unless
 * `--postgres-studies` says other sizes), with unique accession
 * numbers, and once at up to 1,000 studies with colliding ones (every letter name taken).
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { studies: { type: 'string' }, 'postgres-studies': { type: 'string' } } });
const sizes = values.studies ? values.studies.split(',').map(Number) : [100, 1000, 10_000];
// PostgreSQL answers each of a study's ~100 statements over the network: twice SQLite's time, so
// its 10,000-study run (over 20 minutes) is left to `--postgres-studies 10000`
const postgresSizes = values['postgres-studies'] ? values['postgres-studies'].split(',').map(Number) : sizes.filter((size) => size <= 1000);
const postgresUrl = process.env['DEXA_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one bench script, its output shown as it comes, and gives its `RESULT {…}` line. */
function run(script: string, args: string[] = []): Promise<Record<string, unknown> | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let result: Record<string, unknown> | null = null;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
        else console.log(line);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(result) : reject(new Error(`${script} ${args.join(' ')} exited with ${code}`))));
  });
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  const answers = await client.connect().then(() => true, () => false);
  await client.end().catch(() => undefined);
  return answers;
}

const engines = (await postgresAnswers()) ? ['sqlite', 'postgres'] : ['sqlite'];
if (engines.length === 1) console.log(`backlog on PostgreSQL: skipped, no server answers at ${postgresUrl} (set DEXA_TEST_PG_URL)`);

const reader = await run('parse.ts');
await run('parse-hologic.ts');
const letters = await run('letters.ts');
const latency = await run('latency.ts');
const ingest = await run('ingest.ts');
const backlogs = [];
for (const studies of [...new Set([...sizes, ...postgresSizes])].sort((a, b) => a - b)) {
  for (const engine of engines) {
    if ((engine === 'sqlite' ? sizes : postgresSizes).includes(studies)) backlogs.push(await run('backlog.ts', ['--studies', String(studies), '--engine', engine]));
  }
}
const colliding = await run('backlog.ts', ['--studies', String(Math.min(1000, Math.max(...sizes))), '--engine', 'sqlite', '--names', 'colliding']);
await run('receive.ts');

const largestOnSqlite = backlogs.filter((b) => b?.['engine'] === 'sqlite').at(-1) ?? null;
const results = {
  measuredAt: new Date().toISOString(),
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  backlog: largestOnSqlite,
  backlogs: [...backlogs, colliding],
  reader,
  letters,
  latency,
  ingest,
};
await writeFile(new URL('results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('written: bench/results.json');
