import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as fsPromises from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { serviceStatus } from '../../src/watch/status.ts';
import { drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

// Putting a letter under its final name fails this many more times (as on a loaded or flaky disk),
// after its version was committed: the letters are recorded, not yet in place.
const injected = vi.hoisted(() => ({ failedRenames: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsPromises>();
  const rename: typeof real.rename = async (from, to) => {
    if (injected.failedRenames > 0 && /\.pdf\.partial-\d+$/.test(String(from))) {
      injected.failedRenames--;
      throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}' (injected)`), { code: 'EIO' });
    }
    return real.rename(from, to);
  };
  return { ...real, rename, default: { ...real, rename } };
});

/** Long enough that a study's context file is always taken before its letters are made (one version). */
const QUIET = { quietSeconds: 1 };

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('letters recorded but not yet in place are never left for a retry or the next start', () => {
  let running: TestService | null = null;
  afterEach(async () => {
    injected.failedRenames = 0;
    await running?.close();
    running = null;
  });

  it('idle() resolves only once a letter that could not be put in place at once is in place (not after the failure back-off)', async () => {
    running = await startTestService(QUIET, undefined, { failureBackoffMs: 300_000 }); // far beyond the test's time
    injected.failedRenames = 1;
    await drop(running.inbox, 'rename-fails', studyFiles(syntheticStudy('rename-fails')));
    await running.service.idle();
    expect(injected.failedRenames).toBe(0);
    expect((await filesUnder(join(running.out, 'letters'))).filter((file) => file.endsWith('.pdf'))).toHaveLength(2);
    const status = await serviceStatus(running.store, running);
    expect(status.letters).toEqual({ released: 2 });
    expect(status.temporaryFiles).toEqual([]);
    const study = (await running.store.studies.classifiedBetween('0000-01-01', '9999-12-31'))[0]!;
    expect(study.version).toBe(1);
    expect(study.dueAt).toBeNull(); // not postponed by the failure back-off: nothing about the version itself failed
    expect((await running.store.audit.of(study.id)).map((entry) => entry.action)).toEqual(['classified', 'error']);
  }, 60_000);

  it('stop() puts recorded letters in place instead of leaving them to the next start', async () => {
    const service = (running = await startTestService(QUIET));
    injected.failedRenames = 2; // the commit's try and the one right after it
    await drop(service.inbox, 'stop-places', studyFiles(syntheticStudy('stop-places')));
    await until(async () => injected.failedRenames === 0 && (await service.store.letters.notInPlace()).length === 2);
    running = null;
    await service.service.stop();
    try {
      expect((await filesUnder(join(service.out, 'letters'))).filter((file) => file.endsWith('.pdf'))).toHaveLength(2);
      expect(service.count('SELECT COUNT(*) AS n FROM letters WHERE in_place = 0')).toBe(0);
    } finally {
      await rm(service.root, { recursive: true, force: true });
    }
  }, 60_000);
});
