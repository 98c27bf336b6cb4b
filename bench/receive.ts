/**
 * The DICOM receiver's throughput: BENCH_RECEIVE_FILES (default 200) GE Lunar exports sent with
 * DCMTK's storescu over loopback in one association. Reports files/second for the receiver alone
 * (written into the inbox, fsynced and recorded before each Success), for the service (the watcher
 * taking each file as it arrives, until every one is taken), and beside them the folder intake
 * of the same files (dropped into the inbox, until every one is taken). The quiet period is long:
 * letters are not part of these numbers (bench/backlog.ts and bench/latency.ts have them). Skipped without storescu.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/config/default-config.ts';
import { FIXTURE_STUDIES } from '../src/fixtures/cases.ts';
import { writeGeSrInstance } from '../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../src/letters/load-templates.ts';
import { startReceiver } from '../src/network/receiver-server.ts';
import { StudyStore } from '../src/store/study-store.ts';
import { startService } from '../src/watch/service.ts';

const count = Number(process.env['BENCH_RECEIVE_FILES'] ?? 200);
const storescu = join(process.env['DEXA_DCMTK_BIN'] ?? '/usr/bin', 'storescu');
if (!existsSync(storescu)) {
  console.log(`receive: skipped, no storescu at ${storescu} (apt-get install -y dcmtk, or set DEXA_DCMTK_BIN)`);
  process.exit(0);
}

const root = await mkdtemp(join(tmpdir(), 'dexa-bench-receive-'));
const files: string[] = [];
await mkdir(join(root, 'send'));
for (let k = 0; files.length < count; k++) {
  const study = { ...FIXTURE_STUDIES[0]!, id: `bench-receive-${k}` };
  for (let i = 0; i < study.instances.length && files.length < count; i++) {
    const path = join(root, 'send', `${study.id}-${i}.dcm`);
    await writeFile(path, writeGeSrInstance(study, i));
    files.push(path);
  }
}

function send(port: number, nagle: boolean): Promise<number> {
  const started = performance.now();
  const child = spawn(storescu, ['-R', '-xe', '-aet', 'BENCH', '-aec', 'DEXA', '127.0.0.1', String(port), ...files], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TCP_NODELAY: nagle ? '0' : '1' } });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`storescu ended with ${code}: ${errors}`)))));
}

const dicom = { ...DEFAULT_CONFIG.dicom, enabled: true, allowedCallers: ['BENCH'] };
const modes = { file: 0o600, folder: 0o700 };
const rate = (seconds: number) => `${(count / seconds).toFixed(0)} files/s (${seconds.toFixed(2)} s)`;

// the receiver alone: each object written, fsynced and recorded before its Success
for (const nagle of [false, true]) {
  const run = join(root, `alone-${nagle}`);
  await mkdir(join(run, 'inbox'), { recursive: true });
  const store = await StudyStore.open(join(run, 'dexa.db'));
  const receiver = await startReceiver({ config: dicom, inbox: join(run, 'inbox'), store, logger: pino({ level: 'silent' }), modes, port: 0 });
  const seconds = await send(receiver.port, nagle);
  console.log(`receive: receiver alone, ${count} GE SR files in one storescu association${nagle ? ' (storescu with Nagle on, as Debian builds it: TCP_NODELAY unset)' : ' (TCP_NODELAY=1)'}: ${rate(seconds)}`);
  await receiver.stop();
  await store.close();
}

const templates = await loadTemplates('nl');
const config = { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.2, quietSeconds: 86_400 }, dicom };

/** Starts a service, gets the files in (by `arrive`), and waits until it has taken every one. */
async function intake(name: string, arrive: (port: number, inbox: string) => Promise<number | null>): Promise<void> {
  const run = join(root, name);
  const inbox = join(run, 'inbox');
  const service = await startService({ inbox, out: join(run, 'out'), database: join(run, 'dexa.db'), config, templates, logger: pino({ level: 'silent' }), dicomPort: 0 });
  const started = performance.now();
  const sent = await arrive(service.receiver!.port, inbox);
  // idle() would wait for the studies' quiet period: taken is when every file is recorded as moved
  const db = new DatabaseSync(join(run, 'dexa.db'), { readOnly: true, timeout: 5000 });
  while ((db.prepare('SELECT COUNT(*) AS n FROM files WHERE moved = 1').get() as { n: number }).n < count) await new Promise((resolve) => setTimeout(resolve, 20));
  db.close();
  const seconds = (performance.now() - started) / 1000;
  console.log(`receive: ${name}: ${count} GE SR files taken into the store: ${rate(seconds)}${sent === null ? '' : `; storescu done after ${sent.toFixed(2)} s`}`);
  await service.stop();
}

await intake('over DICOM into the running service', (port) => send(port, false));
await intake('folder intake of the same files', async (_port, inbox) => {
  await mkdir(join(inbox, 'drop'), { recursive: true });
  for (const file of files) await copyFile(file, join(inbox, 'drop', basename(file)));
  return null;
});
await rm(root, { recursive: true, force: true });
