import { mkdtemp, unlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { cleanUp, drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { solidPng } from '../helpers/png.ts';
import { syntheticStudy } from '../helpers/studies.ts';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the service recovers from trouble without a restart', () => {
  let running: TestService | null = null;
  let root = '';
  afterEach(async () => ([running, root] = await cleanUp(running, root)));

  it('a move that fails is retried, and the file still ends up archived exactly once', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-retry-'));
    const day = new Date().toISOString().slice(0, 10);
    // a file where the archive's folder for today should be: every move into it fails
    await mkdir(join(root, 'out', 'archive'), { recursive: true });
    await writeFile(join(root, 'out', 'archive', day), 'in the way');
    running = await startTestService({}, root, { retryMs: 200 });
    const service = running;
    await drop(running.inbox, 'blocked', studyFiles(syntheticStudy('blocked')));
    await until(() => service.count('SELECT COUNT(*) AS n FROM files WHERE outcome IS NOT NULL AND moved = 0') === 3);
    expect((await filesUnder(running.inbox)).length).toBe(3);

    await unlink(join(root, 'out', 'archive', day));
    await running.service.idle();
    expect(running.count('SELECT COUNT(*) AS n FROM files WHERE moved = 1')).toBe(3);
    expect(running.count('SELECT COUNT(*) AS n FROM files')).toBe(3);
    expect(await filesUnder(running.inbox)).toEqual([]);
    expect((await filesUnder(join(root, 'out', 'letters'))).length).toBe(2);
  });

  it('a study whose letters cannot be made waits and is tried again, recorded in the audit log', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-backoff-'));
    const logo = join(root, 'logo.png');
    await writeFile(logo, solidPng(40, 20, [0, 0, 0]));
    running = await startTestService({}, root, { failureBackoffMs: 400, department: { logo } });
    await unlink(logo); // the logo goes missing while the service runs
    const study = syntheticStudy('no-logo');
    await drop(running.inbox, study.id, studyFiles(study));
    const { store } = running;
    const uid = fixtureUids(study).study;
    const record = async () => (await store.studies.byUid(uid))!;
    await until(async () => {
      const study = await store.studies.byUid(uid);
      return study !== null && (await store.audit.of(study.id)).some((entry) => entry.action === 'error');
    });
    expect((await record()).version).toBe(0);
    expect(await filesUnder(join(root, 'out', 'letters'))).toEqual([]);

    await writeFile(logo, solidPng(40, 20, [0, 0, 0]));
    await running.service.idle();
    expect((await record()).version).toBe(1);
    expect((await filesUnder(join(root, 'out', 'letters'))).length).toBe(2);
    expect((await store.audit.of((await record()).id)).map((entry) => entry.action).at(-1)).toBe('classified');
  });
});
