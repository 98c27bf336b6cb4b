import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { StudyStore } from '../../src/store/study-store.ts';
import { dcmtkAvailable, echo, store } from '../helpers/dcmtk.ts';
import { elementBytes } from '../helpers/receiver.ts';
import { DEXA, runDexa } from '../helpers/run-cli.ts';

const available = dcmtkAvailable();
const FIXTURE = fileURLToPath(new URL('../../fixtures/23-hologic-osteopenia-woman-66/HL0001.dcm', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!available)('dexa receive and dexa status', () => {
  let root = '';
  let child: ChildProcess | null = null;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("dexa receive alone writes into the service's inbox and store; dexa status lists the associations; SIGTERM stops it", async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-receive-cli-'));
    const paths = { inbox: join(root, 'inbox'), out: join(root, 'out'), db: join(root, 'data', 'dexa.db'), config: join(root, 'dexa.config.yaml') };
    await writeFile(paths.config, ['dicom:', '  aeTitle: DEXA', '  allowedCallers: [STORESCU, ECHOSCU]', ''].join('\n'));
    // the store as `dexa watch` leaves it: its folders and configuration recorded
    await mkdir(join(root, 'data'));
    await mkdir(paths.out);
    const made = await StudyStore.open(paths.db);
    await made.setup.record({ configFile: paths.config, inbox: paths.inbox, out: paths.out });
    await made.close();

    const port = await freePort();
    child = spawn(process.execPath, [DEXA, 'receive', '--db', paths.db, '--dicom-port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const take = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('DICOM receiver listening')) resolve();
      };
      child!.stdout!.on('data', take);
      child!.stderr!.on('data', take);
      child!.once('exit', (code) => reject(new Error(`dexa receive ended with ${code}: ${output}`)));
    });
    expect((await echo(port, 'ECHOSCU', 'DEXA')).code).toBe(0);
    expect((await echo(port, 'STRANGER', 'DEXA')).code).not.toBe(0);
    const sent = await store(port, [FIXTURE]);
    expect(sent.code, sent.output).toBe(0);
    const received = (await readdir(paths.inbox, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    const uid = (await elementBytes(FIXTURE, 'x00080018'))!.toString('latin1').replace(/\0$/, '');
    expect(received.map((entry) => entry.name)).toEqual([`${uid}.dcm`]);
    expect(received[0]!.parentPath).toMatch(/inbox\/dicom\/STORESCU\/\d{8}-\d{6}-[0-9a-f]{8}$/);

    const status = await runDexa(['status', '--db', paths.db]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/DICOM associations \(last 3\):/);
    expect(status.stdout).toMatch(/STORESCU from 127\.0\.0\.1 to DEXA: released; received 1, stored 1, duplicates 0, refused 0/);
    expect(status.stdout).toMatch(/STRANGER from 127\.0\.0\.1 to DEXA: rejected \(calling AE title STRANGER from 127\.0\.0\.1 is not an allowed caller\)/);
    expect(status.stdout).toMatch(/ECHOSCU from 127\.0\.0\.1 to DEXA: released; received 0/);
    const json = await runDexa(['status', '--db', paths.db, '--json']);
    expect((JSON.parse(json.stdout) as { dicomAssociations: unknown[] }).dicomAssociations).toHaveLength(3);

    const exit = new Promise((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
