import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Chokidar from 'chokidar';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanUp, drop, filesUnder, startTestService, type TestService } from '../helpers/service.ts';

// With 10,000 files in the inbox the watcher's first walk takes seconds, and files that settled
// meanwhile are taken before it reports ready. That order is made certain here: the watcher's
// ready event is held back until a file has left the inbox.
vi.mock('chokidar', async (importOriginal) => {
  const chokidar = await importOriginal<typeof Chokidar>();
  const { readdir } = await import('node:fs/promises');
  const filesIn = async (folder: string) => (await readdir(folder, { withFileTypes: true, recursive: true })).filter((entry) => entry.isFile()).length;
  return {
    ...chokidar,
    watch: (...args: Parameters<typeof chokidar.watch>) => {
      const watcher = chokidar.watch(...args);
      const inbox = String(args[0]);
      const firstTaken = async () => {
        const before = await filesIn(inbox);
        for (let wait = 0; wait < 20_000 && (await filesIn(inbox)) === before; wait += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      };
      type Emit = (event: string, ...args: unknown[]) => boolean;
      const emitter = watcher as unknown as { emit: Emit };
      const emit = emitter.emit.bind(watcher);
      emitter.emit = (event, ...rest) => {
        if (event !== 'ready') return emit(event, ...rest);
        void firstTaken().then(() => emit(event, ...rest));
        return true;
      };
      return watcher;
    },
  };
});

describe('start-up with a full inbox', () => {
  let running: TestService | null = null;
  let root = '';
  afterEach(async () => ([running, root] = await cleanUp(running, root)));

  it('takes files that settle before the watcher is ready without touching anything not yet initialised', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-start-up-'));
    // notes are archived unread: quick to take, so many are taken while the watcher is not ready
    for (let folder = 0; folder < 10; folder++) {
      await drop(join(root, 'inbox'), `batch-${folder}`, Array.from({ length: 30 }, (_, i) => ({ name: `note-${i}.txt`, bytes: `note ${folder}/${i}` })));
    }
    running = await startTestService({ settleSeconds: 0.05 }, root);
    // taken before ready: the intake ran while start-up was still waiting for the watcher
    expect(running.count('SELECT COUNT(*) AS n FROM files')).toBeGreaterThan(0);
    await running.service.idle();
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'ignored' AND moved = 1")).toBe(300);
    expect(await filesUnder(join(root, 'inbox'))).toEqual([]);
  });
});
