import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as InboxEntries from '../../src/watch/inbox-entries.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

// The scanner writes a file again in the moment between the service's last look at it and its
// move out of the inbox: the bytes moved are not the bytes read.
const injected = vi.hoisted(() => ({ rewrite: null as null | { path: string; bytes: Uint8Array } }));
vi.mock('../../src/watch/inbox-entries.ts', async (importOriginal) => {
  const real = await importOriginal<typeof InboxEntries>();
  const moveOutOfInbox: typeof real.moveOutOfInbox = async (layout, source, destination) => {
    const rewrite = injected.rewrite;
    if (rewrite !== null && source.endsWith(rewrite.path)) {
      injected.rewrite = null;
      await writeFile(source, rewrite.bytes);
    }
    return real.moveOutOfInbox(layout, source, destination);
  };
  return { ...real, moveOutOfInbox };
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a file rewritten between its last hash and its move', () => {
  let running: TestService | null = null;
  afterEach(async () => {
    injected.rewrite = null;
    await running?.close();
    running = null;
  });

  it('is not left in the archive under the record of other bytes: it goes back to the inbox and is read as the new file it is', async () => {
    running = await startTestService();
    const before = syntheticStudy('moved-while-written', { spine: -1.0 });
    const after = syntheticStudy('moved-while-written', { spine: -2.9 });
    const rewritten = studyFiles(after)[0]!.bytes;
    injected.rewrite = { path: join('mw', 'SR1.dcm'), bytes: rewritten };
    await drop(running.inbox, 'mw', studyFiles(before));
    await running.service.idle();
    expect(injected.rewrite).toBeNull(); // the rewrite happened
    const archived = (await filesUnder(join(running.out, 'archive'))).filter((file) => file.endsWith('SR1.dcm'));
    expect(archived).toHaveLength(1);
    expect(sha256(await readFile(archived[0]!))).toBe(sha256(rewritten));
    const rows = running.rows<{ sha256: string; moved: number; changed_after_read: number }>("SELECT sha256, moved, changed_after_read FROM files WHERE inbox_path LIKE 'mw/SR1.dcm%' ORDER BY id");
    expect(rows).toEqual([
      { sha256: sha256(studyFiles(before)[0]!.bytes), moved: 0, changed_after_read: 1 },
      { sha256: sha256(rewritten), moved: 1, changed_after_read: 0 },
    ]);
    expect(await filesUnder(running.inbox)).toEqual([]);
    // the letters are made from what is archived: the spine at -2,9
    const study = (await running.store.studies.byUid(fixtureUids(before).study))!;
    const result = await running.store.studies.storedResult(study, study.version);
    expect(result?.measurements.find((m) => m.region === 'L1-L4')?.tScore).toBe(-2.9);
  });
});
