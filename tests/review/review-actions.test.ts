import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { approveStudy } from '../../src/review/review-actions.ts';
import { takeForReview } from '../../src/store/study-transitions.ts';
import { serviceStatus } from '../../src/watch/status.ts';
import { drop, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

describe('approving held studies', () => {
  let running: TestService | null = null;
  afterEach(async () => {
    await running?.close();
    running = null;
  });

  it('never lets one study\'s released letters overwrite another\'s of the same name', async () => {
    running = await startTestService();
    // same id length and date: the same accession number, so the same configured file names
    const first = { ...syntheticStudy('same-a'), context: undefined };
    const second = { ...syntheticStudy('same-b'), context: undefined };
    for (const study of [first, second]) await drop(running.inbox, study.id, studyFiles(study));
    await running.service.idle();
    const templates = await loadTemplates('nl');
    const layout = { inbox: running.inbox, out: running.out };
    const released = [
      ...(await approveStudy(running.store, layout, DEFAULT_CONFIG, templates, fixtureUids(first).study, 'dr. A')),
      ...(await approveStudy(running.store, layout, DEFAULT_CONFIG, templates, fixtureUids(second).study, 'dr. B')),
    ];
    expect(new Set(released).size).toBe(4);
    expect((await readdir(join(running.out, 'letters'))).sort()).toEqual(released.map((path) => path.slice(path.lastIndexOf('/') + 1)).sort());
    // recorded first, then put in place: every released letter is known to the store and in place
    const status = await serviceStatus(running.store, layout);
    // (a study whose second file came after its quiet period, on a busy machine, has a superseded first version besides)
    expect(status.letters.released).toBe(4);
    expect(Object.keys(status.letters).filter((state) => state !== 'released' && state !== 'superseded')).toEqual([]);
    expect(status.unknownLetters).toEqual([]);
    expect(status.temporaryFiles).toEqual([]);
  });

  it('releases only what was reviewed: a configuration changed since the drafts is refused, unless the approver accepts it', async () => {
    running = await startTestService();
    const study = { ...syntheticStudy('changed-setup'), context: undefined };
    await drop(running.inbox, study.id, studyFiles(study));
    await running.service.idle();
    const templates = await loadTemplates('nl');
    const layout = { inbox: running.inbox, out: running.out };
    const changed = { ...DEFAULT_CONFIG, signature: { ...DEFAULT_CONFIG.signature, name: 'dr. Nieuw' } };
    const uid = fixtureUids(study).study;
    await expect(approveStudy(running.store, layout, changed, templates, uid, 'dr. A')).rejects.toThrow(/the configuration or templates changed since the drafts of .* were made/);
    expect(await readdir(join(running.out, 'letters'))).toEqual([]);
    expect(await approveStudy(running.store, layout, changed, templates, uid, 'dr. A', { acceptNewSetup: true })).toHaveLength(2);
  });

  it('an approval that died holding the study is given again by its reviewer; another reviewer is refused meanwhile', async () => {
    running = await startTestService();
    const study = { ...syntheticStudy('died-approving'), context: undefined };
    await drop(running.inbox, study.id, studyFiles(study));
    await running.service.idle();
    const templates = await loadTemplates('nl');
    const layout = { inbox: running.inbox, out: running.out };
    const uid = fixtureUids(study).study;
    await takeForReview(running.store, uid, 'dr. A', 1, 'approve'); // taken, then the process was killed
    await expect(approveStudy(running.store, layout, DEFAULT_CONFIG, templates, uid, 'dr. B')).rejects.toThrow(`study '${uid}' is being acted on by review:dr. A; try again in a moment`);
    expect(await approveStudy(running.store, layout, DEFAULT_CONFIG, templates, uid, 'dr. A', { version: 1 })).toHaveLength(2);
    expect(await running.store.studies.byUid(uid)).toMatchObject({ state: 'approved', releasedVersion: 1, claimedBy: null });
  });
});
