import { describe, expect, it } from 'vitest';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import type { InstanceExtraction } from '../../src/model/study.ts';
import type { StudyRecord } from '../../src/store/study-records.ts';
import { commitVersion } from '../../src/store/study-transitions.ts';
import { freshStoreEach, STORE_ENGINES } from '../helpers/store-engines.ts';
import { receivedAndTaken } from '../helpers/store-studies.ts';

describe.each(STORE_ENGINES)('classified studies by study date, on $name (dexa export --from/--to)', (engine) => {
  const fresh = freshStoreEach(engine);

  async function classified(study: StudyRecord, part: InstanceExtraction): Promise<void> {
    const assessed = await assessStudy(mergeStudy([part]), undefined, undefined, async () => null);
    const letter = (kind: 'gp' | 'patient') => ({ kind, path: `/out/letters/${study.studyUid}-${kind}.pdf`, temporaryPath: `/out/letters/${study.studyUid}-${kind}.partial`, sha256: kind });
    await commitVersion(fresh.store, { study, version: 1, fingerprint: 'f1', assessed, letters: [letter('gp'), letter('patient')], superseded: [], madeWith: 'setup', reason: 'test', destinations: [], at: new Date() });
  }

  it('gives the classified studies from the first date to the last, both included, oldest first; a study not classified yet is not one', async () => {
    const dates = { early: '2026-01-31', first: '2026-02-01', middle: '2026-02-14', last: '2026-02-28', late: '2026-03-01' };
    const uids: Record<string, string> = {};
    for (const [name, studyDate] of Object.entries(dates)) {
      const { study, part } = await receivedAndTaken(fresh.store, `between-${name}`, { patientId: `P-${name}`, studyDate });
      await classified(study, part);
      uids[name] = study.studyUid;
    }
    const waiting = await receivedAndTaken(fresh.store, 'between-waiting', { patientId: 'P-waiting', studyDate: '2026-02-10' });
    expect(waiting.study.version).toBe(0);
    const found = await fresh.store.studies.classifiedBetween('2026-02-01', '2026-02-28');
    expect(found.map((study) => study.studyUid)).toEqual([uids['last'], uids['middle'], uids['first']].reverse());
    expect(found.every((study) => study.version === 1)).toBe(true);
    expect(await fresh.store.studies.classifiedBetween('2026-04-01', '2026-04-30')).toEqual([]);
  });
});
