import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as fsPromises from 'node:fs/promises';
import { appendFile, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntilSettled } from '../../src/watch/settle.ts';

// Every look the wait takes at the file, counted: a wait that polls on a fixed step looks many
// times in one quiet period, one that looks when the period would end looks twice.
const looks = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsPromises>();
  const lstat = ((...args: Parameters<typeof real.lstat>) => {
    looks.count++;
    return real.lstat(...args);
  }) as typeof real.lstat;
  return { ...real, lstat, default: { ...real, lstat } };
});

const SETTLE_MS = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('waitUntilSettled', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-settle-'));
    looks.count = 0;
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('settles a quiet file once its quiet period ends, looking at it when the period ends rather than on a poll step', async () => {
    const file = join(folder, 'quiet.dcm');
    await writeFile(file, 'complete');
    const start = performance.now();
    const settled = await waitUntilSettled(file, SETTLE_MS);
    const took = performance.now() - start;
    expect(settled?.size).toBe('complete'.length);
    expect(took).toBeGreaterThanOrEqual(SETTLE_MS - 1);
    // once when the wait starts and once when the quiet period ends (one more if a timer fired a hair early)
    expect(looks.count).toBeLessThanOrEqual(3);
  });

  it('does not settle a file written to every half period until the writes stop', async () => {
    const file = join(folder, 'bursts.dcm');
    await writeFile(file, 'first burst');
    let lastWrite = performance.now();
    let settledAt: number | null = null;
    const waiting = waitUntilSettled(file, SETTLE_MS).then((settled) => {
      settledAt = performance.now();
      return settled;
    });
    for (let burst = 0; burst < 6; burst++) {
      await sleep(SETTLE_MS / 2);
      expect(settledAt).toBeNull();
      await appendFile(file, ' and another burst');
      lastWrite = performance.now();
    }
    const settled = await waiting;
    expect(settled?.size).toBe('first burst'.length + 6 * ' and another burst'.length);
    expect(settledAt! - lastWrite).toBeGreaterThanOrEqual(SETTLE_MS - 1);
  });

  it('starts the quiet period at a reported change, so a file written in bursts settles one period after its last write', async () => {
    const file = join(folder, 'reported.dcm');
    await writeFile(file, 'first burst');
    let report: (() => void) | null = null;
    const waiting = waitUntilSettled(file, SETTLE_MS, {
      onChange: (look) => {
        report = look;
        return () => (report = null);
      },
    });
    let lastWrite = 0;
    for (let burst = 0; burst < 6; burst++) {
      await sleep(SETTLE_MS / 2);
      await appendFile(file, ' and another burst');
      lastWrite = performance.now();
      report!(); // as chokidar's change event does
    }
    const settled = await waiting;
    const afterLastWrite = performance.now() - lastWrite;
    expect(settled?.size).toBe('first burst'.length + 6 * ' and another burst'.length);
    expect(afterLastWrite).toBeGreaterThanOrEqual(SETTLE_MS - 1);
    // a look at the start, one per report and one when the period ends: no poll step (every 50 ms, 30 looks and more)
    expect(looks.count).toBeLessThanOrEqual(10);
    expect(report).toBeNull(); // unsubscribed
  });

  it('gives null for a file that vanishes, a link, or a folder', async () => {
    const file = join(folder, 'vanishing.dcm');
    await writeFile(file, 'soon gone');
    const waiting = waitUntilSettled(file, SETTLE_MS);
    await sleep(SETTLE_MS / 4);
    await rm(file);
    expect(await waiting).toBeNull();

    await writeFile(join(folder, 'target.dcm'), 'linked');
    await symlink(join(folder, 'target.dcm'), join(folder, 'link.dcm'));
    expect(await waitUntilSettled(join(folder, 'link.dcm'), SETTLE_MS)).toBeNull();
    expect(await waitUntilSettled(folder, SETTLE_MS)).toBeNull();
  });

  it('stops at once when aborted', async () => {
    const file = join(folder, 'aborted.dcm');
    await writeFile(file, 'complete');
    const stopping = new AbortController();
    const start = performance.now();
    const waiting = waitUntilSettled(file, 10_000, { signal: stopping.signal });
    await sleep(50);
    stopping.abort();
    expect(await waiting).toBeNull();
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
