import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drop, filesUnder, startTestService, type TestService } from '../helpers/service.ts';

// With 10,000 files in the inbox the watcher's first walk takes seconds, and files that settled
// meanwhile are taken before it reports ready. A slow walk is made certain here by holding the
// watcher's ready event back for a second.
vi.mock('chokidar', async (importOriginal) => {
  const chokidar = await importOriginal<typeof import('chokidar')>();
  return {
    ...chokidar,
    watch: (...args: Parameters<typeof chokidar.watch>) => {
      const watcher = chokidar.watch(...args);
      type Emit = (event: string, ...args: unknown[]) => boolean;
      const emitter = watcher as unknown as { emit: Emit };
      const emit = emitter.emit.bind(watcher);
      emitter.emit = (event, ...rest) => {
        if (event !== 'ready') return emit(event, ...rest);
        setTimeout(() => emit(event, ...rest), 1000);
        return true;
      };
      return watcher;
    },
  };
});

const count = (running: TestService, sql: string) => (running.service.db.prepare(sql).get() as { n: number }).n;

describe('start-up with a full inbox', () => {
  let running: TestService | null = null;
  let root = '';
  afterEach(async () => {
    await running?.close();
    running = null;
    await rm(root, { recursive: true, force: true });
  });

  it('takes files that settle before the watcher is ready without touching anything not yet initialised', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-start-up-'));
    // notes are archived unread: quick to take, so many are taken while the watcher is not ready
    for (let folder = 0; folder < 10; folder++) {
      await drop(join(root, 'inbox'), `batch-${folder}`, Array.from({ length: 30 }, (_, i) => ({ name: `note-${i}.txt`, bytes: `note ${folder}/${i}` })));
    }
    running = await startTestService({ settleSeconds: 0.05 }, root);
    // taken before ready: the intake ran while start-up was still waiting for the watcher
    expect(count(running, 'SELECT COUNT(*) AS n FROM files WHERE moved = 1')).toBeGreaterThan(0);
    await running.service.idle();
    expect(count(running, "SELECT COUNT(*) AS n FROM files WHERE outcome = 'ignored' AND moved = 1")).toBe(300);
    expect(await filesUnder(join(root, 'inbox'))).toEqual([]);
  });
});
