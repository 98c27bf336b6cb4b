import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgedFiles, dcmtk, dcmtkAvailable, store } from '../helpers/dcmtk.ts';
import { geExports } from '../helpers/receiver.ts';
import { DEXA } from '../helpers/run-cli.ts';
import { storeRows } from '../helpers/store-rows.ts';

const available = dcmtkAvailable();
/** the service is killed once storescu has been answered Success this many times */
const KILL_AFTER = 35;
const FILES = 100;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `dexa watch` in its own process, resolved once its receiver listens. */
function startService(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [DEXA, 'watch', '--no-web', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEXA_LOG_LEVEL: 'info' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dexa watch did not start its receiver in 30 s: ${output}`)), 30_000);
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('"msg":"DICOM receiver listening"')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dexa watch ended with ${code}: ${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<unknown> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
}

describe.skipIf(!available)('the DICOM receiver killed while storescu sends', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it(`SIGKILL after ${KILL_AFTER} Success answers of ${FILES}: every object answered Success is taken after the restart, none twice, and a resend completes the rest`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'dexa-receiver-kill-'));
    roots.push(root);
    const port = await freePort();
    // the quiet period is long: what is checked is the intake, not the letters
    await writeFile(join(root, 'dexa.config.yaml'), ['watch:', '  settleSeconds: 0.2', '  quietSeconds: 3600', 'dicom:', '  enabled: true', '  aeTitle: DEXA', '  allowedCallers: [STORESCU]', ''].join('\n'));
    const paths = { inbox: join(root, 'inbox'), out: join(root, 'out'), db: join(root, 'data', 'dexa.db') };
    const args = ['--inbox', paths.inbox, '--out', paths.out, '--db', paths.db, '--config', join(root, 'dexa.config.yaml'), '--dicom-port', String(port)];
    const exports = await geExports(join(root, 'send'), FILES, 'kill');
    const uidOf = new Map(exports.map((file) => [file.path, file.sopInstanceUid]));
    const rows = storeRows(paths.db);

    let service = await startService(args);
    let killed = false;
    const sending = dcmtk('storescu', ['-v', '-R', '-xe', '-aet', 'STORESCU', '-aec', 'DEXA', '127.0.0.1', String(port), ...exports.map((file) => file.path)], (output) => {
      if (!killed && (output.match(/Received Store Response \(Success\)/g)?.length ?? 0) >= KILL_AFTER) {
        killed = true;
        service.kill('SIGKILL');
      }
    });
    const sent = await sending.done;
    await exited(service);
    expect(killed, sent.output).toBe(true);
    const acknowledged = acknowledgedFiles(sent.output).map((path) => uidOf.get(path)!);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.length).toBeLessThan(FILES);

    // Success was answered only for what is safe: each is recorded, and its file is in the inbox or taken from it
    const receipts = new Map(rows.rows<{ uid: string; path: string }>('SELECT sop_instance_uid AS uid, inbox_path AS path FROM dicom_receipts WHERE duplicate = 0').map((r) => [r.uid, r.path]));
    const inInbox = new Set((await readdir(paths.inbox, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)));
    const taken = new Set(rows.rows<{ path: string }>('SELECT inbox_path AS path FROM files').map((r) => r.path));
    for (const uid of acknowledged) {
      const path = receipts.get(uid);
      expect(path, uid).toBeDefined();
      expect(inInbox.has(join(paths.inbox, path!)) || taken.has(path!), path).toBe(true);
    }

    // restarted: the sender sends the whole batch again, as a scanner retries a failed export
    service = await startService(args);
    try {
      expect((await readdir(paths.inbox, { recursive: true })).filter((name) => name.endsWith('.dexa-receiving'))).toEqual([]);
      const again = await store(port, exports.map((file) => file.path));
      expect(again.code, again.output).toBe(0);
      const deadline = Date.now() + 30_000;
      while (rows.count('SELECT COUNT(*) AS n FROM instances') < FILES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      // every object is stored once; the acknowledged ones came back as duplicates and were not passed on again
      expect(rows.count('SELECT COUNT(*) AS n FROM instances')).toBe(FILES);
      expect(rows.count('SELECT COUNT(DISTINCT sop_instance_uid) AS n FROM instances')).toBe(FILES);
      expect(rows.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'stored'")).toBe(FILES);
      for (const uid of acknowledged) {
        expect(rows.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'stored' AND sop_instance_uid = ?", uid)).toBe(1);
        expect(rows.count('SELECT COUNT(*) AS n FROM dicom_receipts WHERE sop_instance_uid = ? AND duplicate = 1 AND inbox_path IS NULL', uid)).toBe(1);
      }
      expect(rows.count("SELECT COUNT(*) AS n FROM dicom_associations WHERE outcome = 'aborted' AND reason LIKE 'the service stopped%'")).toBe(1);
      console.log(`killed after ${acknowledged.length} of ${FILES} answered Success; after the restart and a resend, ${FILES} stored once each`);
    } finally {
      service.kill('SIGTERM');
      await exited(service);
    }
  }, 60_000);
});
