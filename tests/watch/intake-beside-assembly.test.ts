import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drop, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const STUDIES = 24;

describe('a backlog in the inbox at start-up', () => {
  let service: TestService | null = null;
  let root = '';
  afterEach(async () => {
    await service?.close();
    service = null;
    await rm(root, { recursive: true, force: true });
  });

  it('has letters made while its files are still taken, and no study made before every file of its folder is in', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-overlap-'));
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
});
