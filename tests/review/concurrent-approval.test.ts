import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates, type Templates } from '../../src/letters/load-templates.ts';
import { approveStudy, ReviewError } from '../../src/review/review-actions.ts';
import { StudyStore } from '../../src/store/study-store.ts';
import { startService } from '../../src/watch/service.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const config: DepartmentConfig = { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.3, quietSeconds: 0.2 } };

describe('approvals that race', () => {
  let root = '';
  let templates: Templates;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-race-'));
    templates = await loadTemplates('nl');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const paths = () => ({ inbox: join(root, 'inbox'), out: join(root, 'out'), database: join(root, 'data', 'dexa.db') });
  const layout = () => ({ inbox: join(root, 'inbox'), out: join(root, 'out') });

  /** Runs the service over what is dropped until it is idle, then stops it. */
  async function serviceTakes(folder: string, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
    const service = await startService({ ...paths(), config, templates, logger: pino({ level: 'silent' }) });
    await drop(paths().inbox, folder, files);
    await service.idle();
    await service.stop();
  }

  it('let one of two reviewers approve a study at once; the other is told why', async () => {
    const fixture = syntheticStudy('twice');
    const [sr1, sr2] = studyFiles(fixture);
    await serviceTakes('twice', [sr1!, sr2!]); // no context: held for the menopausal status
    const store = await StudyStore.open(paths().database);
    try {
      const uid = fixtureUids(fixture).study;
      expect((await store.studies.byUid(uid))?.state).toBe('held');
      const results = await Promise.allSettled([approveStudy(store, layout(), config, templates, uid, 'dr. A'), approveStudy(store, layout(), config, templates, uid, 'dr. B')]);
      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(ReviewError);
      expect((lost[0]?.reason as Error).message).toMatch(/is being acted on by review:dr\. [AB]|is not waiting for review \(it is approved\)/);
      const study = await store.studies.byUid(uid);
      expect(study).toMatchObject({ state: 'approved', claimedBy: null });
      expect((await store.audit.of(study!.id)).filter((entry) => entry.action === 'approved')).toHaveLength(1);
      expect((await readdir(join(root, 'out', 'letters'))).filter((name) => name.endsWith('.pdf'))).toHaveLength(2);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('refuse an approval of a version a newer one has replaced', async () => {
    const fixture = syntheticStudy('newer');
    const [sr1, sr2] = studyFiles(fixture);
    await serviceTakes('newer', [sr1!]); // one instance, no context: version 1, held
    await serviceTakes('newer', [sr2!]); // the second instance arrives: version 2, still held
    const uid = fixtureUids(fixture).study;
    const store = await StudyStore.open(paths().database);
    try {
      expect(await store.studies.byUid(uid)).toMatchObject({ state: 'held', version: 2 });
      await expect(approveStudy(store, layout(), config, templates, uid, 'dr. A', { version: 1 })).rejects.toThrow(`is at version 2, not version 1: look at the new version before you approve it`);
      // new input is in and the next version is being made: no approval until it is there
      await store.studies.makeDue([(await store.studies.byUid(uid))!.id], new Date(Date.now() + 60_000).toISOString());
      await expect(approveStudy(store, layout(), config, templates, uid, 'dr. A', { version: 2 })).rejects.toThrow('new input arrived and a new version is being made');
      expect(await store.studies.byUid(uid)).toMatchObject({ state: 'held', version: 2, claimedBy: null });
      expect((await readdir(join(root, 'out', 'letters'))).filter((name) => name.endsWith('.pdf'))).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
