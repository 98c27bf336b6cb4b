import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StudyStore } from '../../src/store/study-store.ts';
import { finishInterruptedMoves } from '../../src/watch/file-intake.ts';

/** A tmpfs beside the temporary folder: an inbox there makes every move one across file systems. */
const otherFileSystem = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;

describe.skipIf(!otherFileSystem)('a move across file systems, killed before it was recorded', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('is recognised at the next start by the file whole at its destination and gone from the inbox', async () => {
    const inbox = await mkdtemp('/dev/shm/dexa-inbox-');
    const root = await mkdtemp(join(tmpdir(), 'dexa-cross-'));
    folders.push(inbox, root);
    const store = await StudyStore.open(join(root, 'dexa.db'));
    const bytes = new TextEncoder().encode('the bytes that were read');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const destination = join(root, 'out', 'archive', '2026-11-23', 'a', 'SR1.dcm');
    const id = await store.files.recordReceived({ inboxPath: 'a/SR1.dcm', size: bytes.length, mtimeMs: 0, sha256, kind: 'export' });
    await store.files.recordOutcome(id, 'stored', destination);
    // copied, synced, renamed into place and the source removed: killed just before recordMoved
    await mkdir(join(inbox, 'a')); // its folder stays: rename then fails EXDEV, not ENOENT
    await mkdir(dirname(destination), { recursive: true });
    await writeFile(destination, bytes);

    try {
      expect(await finishInterruptedMoves(store, { inbox, out: join(root, 'out') }, pino({ level: 'silent' }))).toBe(1);
      expect(await store.files.unfinished()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
