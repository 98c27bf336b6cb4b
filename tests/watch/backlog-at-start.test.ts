import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inboxFiles } from '../../src/watch/layout.ts';
import { drop, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

// enough that taking their files lasts longer than the render threads take to start (up to a second on a loaded machine)
const STUDIES = 60;
// more than the inbox looks at once (FILES_AT_ONCE in inbox-source.ts): the rest wait their turn
const FILES = 280;

describe('a backlog in the inbox at start-up', () => {
  let service: TestService | null = null;
  let root = '';
  afterEach(async () => {
    await service?.close();
    service = null;
    await rm(root, { recursive: true, force: true });
  });

  it('has letters made while its files are still taken, and no study made before every file of its folder is in', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-backlog-'));
    for (let i = 0; i < STUDIES; i++) await drop(join(root, 'inbox'), `study-${i}`, studyFiles(syntheticStudy(`overlap-${i}`)));
    // no quiet period: a study is due the moment its first file is in, so only its folder's queued files hold it back
    service = await startTestService({ quietSeconds: 0 }, root);
    await service.service.idle();

    expect(service.count('SELECT COUNT(*) AS n FROM studies')).toBe(STUDIES);
    // each study made once, from all of its files: no version from a part of them, amended later
    expect(service.rows('SELECT study_uid, version FROM studies WHERE version != 1')).toEqual([]);
    expect(service.count("SELECT COUNT(*) AS n FROM letters WHERE state != 'superseded'")).toBe(2 * STUDIES);
    const firstMade = service.row<{ at: string }>('SELECT MIN(created_at) AS at FROM classifications')!.at;
    const lastTaken = service.row<{ at: string }>("SELECT MAX(received_at) AS at FROM files WHERE kind = 'export'")!.at;
    expect(firstMade < lastTaken, `the first study was made at ${firstMade}, after the last file was taken at ${lastTaken}`).toBe(true);
  });

  it('has every file taken, each once, those that waited their turn too', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-backlog-'));
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
