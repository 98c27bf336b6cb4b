import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICE_HEAP_FLAGS } from '../../src/cli/service-heap.ts';
import { DEXA, runDexa } from '../helpers/run-cli.ts';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));

async function until<T>(check: () => Promise<T | null> | T | null, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('dexa watch: one per store, and a clean stop', () => {
  let root = '';
  const started: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  const paths = () => ['--no-web', '--inbox', join(root, 'inbox'), '--out', join(root, 'out'), '--db', join(root, 'data', 'dexa.db'), '--config', join(root, 'dexa.yaml')];
  const servicePid = () => until(async () => Number.parseInt(await readFile(join(root, 'data', 'dexa.db.pid'), 'utf8').catch(() => ''), 10) || null);
  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

  it('dexa watch runs with the service heap flags in its own PID; a second on the same store exits at once naming the first; after a kill -9 the store is free', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-one-'));
    await writeFile(join(root, 'dexa.yaml'), 'watch:\n  settleSeconds: 0.2\n  quietSeconds: 0.1\n');
    const first = spawn(process.execPath, [DEXA, 'watch', ...paths()], { stdio: 'ignore' });
    started.push(first);
    expect(await servicePid()).toBe(first.pid);
    // started again by itself with the service's heap flags, as the same process
    const commandLine = (await readFile(`/proc/${first.pid}/cmdline`, 'utf8')).split('\0');
    expect(commandLine).toEqual(expect.arrayContaining([...SERVICE_HEAP_FLAGS, 'watch']));

    const second = await runDexa(['watch', ...paths()]);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(`in use by another dexa watch (PID ${first.pid})`);

    first.kill('SIGKILL');
    await exited(first);
    const third = spawn(process.execPath, [DEXA, 'watch', ...paths()], { stdio: 'ignore' });
    started.push(third);
    expect(await until(async () => ((await servicePid()) === third.pid ? third.pid : null))).toBe(third.pid);
    third.kill('SIGTERM');
    expect(await exited(third)).toBe(0);
  });

  it('npm start passes SIGTERM on to the service, which stops', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-one-'));
    await writeFile(join(root, 'dexa.yaml'), 'watch:\n  settleSeconds: 0.2\n  quietSeconds: 0.1\n');
    const npm = spawn('npm', ['start', '--', ...paths()], { cwd: PROJECT, stdio: 'ignore' });
    started.push(npm);
    const service = await servicePid();
    expect(service).not.toBe(npm.pid);
    npm.kill('SIGTERM');
    await exited(npm);
    await until(() => (alive(service) ? null : true), 10_000);
    expect(alive(service)).toBe(false);
  });
});
