import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inboxFiles } from '../../src/watch/layout.ts';
import { drop, startTestService, type TestService } from '../helpers/service.ts';

// more than the inbox looks at once (FILES_AT_ONCE in inbox-source.ts): the rest wait their turn
const FILES = 280;

describe('an inbox with more files than are looked at at once', () => {
  let service: TestService | null = null;
  let root = '';
  afterEach(async () => {
    await service?.close();
    service = null;
    await rm(root, { recursive: true, force: true });
  });

  it('has every file taken, each once, those that waited their turn too', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-many-'));
    for (let folder = 0; folder < FILES / 20; folder++) {
      await drop(join(root, 'inbox'), `batch-${folder}`, Array.from({ length: 20 }, (_, i) => ({ name: `note-${i}.txt`, bytes: `note ${folder}/${i}` })));
    }
    service = await startTestService({ settleSeconds: 0.05 }, root);
    await service.service.idle();
    expect(await inboxFiles(service.inbox)).toEqual([]);
    expect(service.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'ignored' AND moved = 1")).toBe(FILES);
    expect(service.count('SELECT COUNT(DISTINCT inbox_path) AS n FROM files')).toBe(FILES);
  });
});
