import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StudyStore } from '../../src/store/study-store.ts';

/** The files this process has open, by path (Linux). */
async function openFiles(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets;
}

describe.skipIf(process.platform !== 'linux')('closing the embedded store', () => {
  let folder = '';
  afterEach(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it.each([
    ['that was never asked anything', false],
    ['after a query', true],
  ])('lets go of the file, also a store %s', async (_name, queried) => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-close-'));
    const file = join(folder, 'dexa.db');
    const store = await StudyStore.open(file);
    expect((await openFiles()).filter((path) => path.startsWith(file))).not.toEqual([]);
    if (queried) await store.users.all();
    await store.close();
    expect((await openFiles()).filter((path) => path.startsWith(file))).toEqual([]);
  });
});
