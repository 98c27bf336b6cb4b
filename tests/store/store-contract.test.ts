import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import type { InstanceExtraction } from '../../src/model/study.ts';
import { REFUSALS, TransitionRefused } from '../../src/store/lifecycle.ts';
import { StoredDataError } from '../../src/store/store-errors.ts';
import type { StudyRecord } from '../../src/store/study-records.ts';
import { StudyStore } from '../../src/store/study-store.ts';
import { approveVersion, commitVersion, recordDelivered, rejectVersion, takeForReview } from '../../src/store/study-transitions.ts';
import { STORE_ENGINES, type EmptyStore } from '../helpers/store-engines.ts';
import { receivedAndTaken as takeStudy, syntheticExtraction as extraction } from '../helpers/store-studies.ts';


async function assessed(parts: InstanceExtraction[], releasable: boolean): Promise<AssessedStudy> {
  const study = await assessStudy(mergeStudy(parts), undefined, undefined, async () => null);
  return { ...study, classification: { ...study.classification, releasable, holdingFlags: releasable ? [] : ['MENOPAUSE_UNKNOWN'] } };
}

const letter = (studyId: string, kind: 'gp' | 'patient', version: number) => ({ kind, path: `/out/letters/${studyId}-${kind}-v${version}.pdf`, temporaryPath: `/out/letters/${studyId}-${kind}.partial-1`, sha256: `${kind}${version}` });

describe.each(STORE_ENGINES)('the store on $name', (engine) => {
  let empty: EmptyStore;
  let store: StudyStore;
  beforeEach(async (context) => {
    if (!engine.available) return context.skip();
    empty = await engine.empty();
    store = await StudyStore.open(empty.location, { identity: { instance: 'a', inboxKey: '', localIssuer: '' } });
  });
  afterEach(async () => {
    if (!engine.available) return;
    await store.close();
    await empty.remove();
  });

  const receivedAndTaken = (id: string, options: { patientId?: string; studyDate?: string } = {}) => takeStudy(store, id, options);

  async function commit(study: StudyRecord, part: InstanceExtraction, releasable: boolean, destinations: string[] = []) {
    const version = study.version + 1;
    return commitVersion(store, { study, version, fingerprint: `f${version}`, assessed: await assessed([part], releasable), letters: [letter(study.studyUid, 'gp', version), letter(study.studyUid, 'patient', version)], superseded: [], madeWith: 'setup', reason: 'test', destinations, at: new Date() });
  }

  it('takes a study from received through held and approved to delivered, each step audited', async () => {
    const { study, part } = await receivedAndTaken('life');
    expect(study.state).toBe('received');
    expect(await commit(study, part, false, ['epd'])).toBe('held');
    expect(await store.deliveries.ofStudy(study.id)).toEqual([]); // nothing is owed before a release
    const taken = await takeForReview(store, study.studyUid, 'dr. Jansen', 1, 'approve');
    await approveVersion(store, { study: taken, by: 'dr. Jansen', letters: [letter(study.studyUid, 'gp', 1)], drafts: [], madeWith: 'setup', destinations: ['epd', 'pacs-map'] });
    const approved = await store.studies.byId(study.id);
    expect(approved).toMatchObject({ state: 'approved', version: 1, releasedVersion: 1, claimedBy: null, dueAt: null });
    const owed = await store.deliveries.ofStudy(study.id);
    expect(owed.map((d) => [d.destination, d.state])).toEqual([['epd', 'pending'], ['pacs-map', 'pending']]);
    await recordDelivered(store, owed[0]!, new Date().toISOString());
    expect((await store.studies.byId(study.id))?.state).toBe('approved'); // one destination still owed
    await recordDelivered(store, owed[1]!, new Date().toISOString());
    expect((await store.studies.byId(study.id))?.state).toBe('delivered');
    expect((await store.audit.of(study.id)).map((entry) => [entry.action, entry.actor])).toEqual([
      ['classified', null],
      ['approved', 'dr. Jansen'],
      ['delivered', null],
      ['delivered', null],
    ]);
  });

  it('releases a releasable version with its deliveries, and calls a later release an amendment', async () => {
    const { study, part } = await receivedAndTaken('amend');
    expect(await commit(study, part, true, ['epd'])).toBe('released');
    expect((await store.deliveries.ofStudy(study.id)).map((d) => [d.version, d.destination])).toEqual([[1, 'epd']]);
    await store.studies.makeDue([study.id], '2000-01-01T00:00:00.000Z');
    const [again] = await store.transaction((tx) => tx.studies.claimDue(new Date().toISOString(), 1));
    expect(await commit(again!, part, true, ['epd'])).toBe('amended');
    expect((await store.deliveries.ofStudy(study.id)).map((d) => [d.version, d.destination])).toEqual([[1, 'epd'], [2, 'epd']]);
  });

  it('rejects a held version', async () => {
    const { study, part } = await receivedAndTaken('reject');
    await commit(study, part, false);
    const taken = await takeForReview(store, String(study.id), 'dr. Bakker', null, 'reject');
    await rejectVersion(store, { study: taken, by: 'dr. Bakker', reason: 'wrong patient', moved: [] });
    expect((await store.studies.byId(study.id))?.state).toBe('rejected');
    expect((await store.audit.of(study.id)).at(-1)).toMatchObject({ action: 'rejected', actor: 'dr. Bakker', detail: 'version 1 rejected: wrong patient' });
  });

  it('refuses a review of a study in the wrong state, of a stale version, with a new version coming, or held by another', async () => {
    const { study, part } = await receivedAndTaken('refuse');
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof TransitionRefused ? error.code : error));
    expect(await refusal(takeForReview(store, study.studyUid, 'x', null, 'approve'))).toBe(REFUSALS.WRONG_STATE); // received, not held
    await commit(study, part, false);
    expect(await refusal(takeForReview(store, study.studyUid, 'x', 2, 'approve'))).toBe(REFUSALS.STALE_VERSION);
    const first = await takeForReview(store, study.studyUid, 'first', 1, 'approve');
    expect(await refusal(takeForReview(store, study.studyUid, 'second', 1, 'approve'))).toBe(REFUSALS.CLAIMED_ELSEWHERE);
    await store.studies.unclaim(first);
    await store.studies.makeDue([study.id], new Date(Date.now() + 60_000).toISOString());
    expect(await refusal(takeForReview(store, study.studyUid, 'x', 1, 'approve'))).toBe(REFUSALS.NEW_VERSION_PENDING);
    const unchanged = await store.studies.byId(study.id);
    expect(unchanged).toMatchObject({ state: 'held', version: 1, claimedBy: null });
  });

  it('refuses to commit a version made from a stale one, or of a study taken from this instance', async () => {
    const { study, part } = await receivedAndTaken('stale');
    const other = store.as({ instance: 'b', inboxKey: '', localIssuer: '' });
    // this instance's claim ran out and another instance took the study
    await empty.run("UPDATE studies SET claimed_by = 'b' WHERE id = ?", study.id);
    await expect(commit(study, part, true)).rejects.toMatchObject({ code: REFUSALS.CLAIMED_ELSEWHERE });
    await commitVersion(other, { study: { ...study, claimedBy: 'b' }, version: 1, fingerprint: 'f1', assessed: await assessed([part], true), letters: [], superseded: [], madeWith: 'setup', reason: 'test', destinations: [], at: new Date() });
    await expect(commit({ ...study, claimedBy: 'a' }, part, true)).rejects.toMatchObject({ code: REFUSALS.STALE_VERSION });
    expect(await store.letters.ofStudy(study.id)).toEqual([]); // nothing of the refused commit landed
  });

  it('lets one of two reviewers take a study at once', async () => {
    const { study, part } = await receivedAndTaken('race');
    await commit(study, part, false);
    // on PostgreSQL two connections (two machines); SQLite's one is shared in a process, and its lock spans processes
    const second = engine.name === 'postgres' ? await StudyStore.open(empty.location) : store;
    try {
      const results = await Promise.allSettled([takeForReview(store, study.studyUid, 'one', 1, 'approve'), takeForReview(second, study.studyUid, 'two', 1, 'approve')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(TransitionRefused);
    } finally {
      if (second !== store) await second.close();
    }
  });

  it('keeps a study that changed while it was assembled due for the next version', async () => {
    const { study, part } = await receivedAndTaken('changed');
    await store.studies.makeDue([study.id], '2000-01-01T00:00:01.000Z'); // new context arrived meanwhile
    await commit(study, part, true);
    expect((await store.studies.byId(study.id))?.dueAt).toBe('2000-01-01T00:00:01.000Z');
  });

  it('gives one patient one study at a time to assemble, and identifies a patient by issuer and ID', async () => {
    for (const [id, date] of [['p1', '2024-01-01'], ['p2', '2025-01-01']] as const) {
      const part = extraction(id, { patientId: 'SAME', studyDate: date });
      await store.transaction(async (tx) => tx.studies.storeInstance(part, await tx.files.recordReceived({ inboxPath: `${id}/SR1.dcm`, size: 1, mtimeMs: 1, sha256: id, kind: 'export' }), { folder: id, name: 'SR1.dcm' }, '2000-01-01T00:00:00.000Z'));
    }
    const site = store.as({ instance: 'a', inboxKey: 'other-site', localIssuer: 'SITE-B' });
    const elsewhere = extraction('p3', { patientId: 'SAME', studyDate: '2025-06-01' });
    await site.transaction(async (tx) => tx.studies.storeInstance(elsewhere, await tx.files.recordReceived({ inboxPath: 'p3/SR1.dcm', size: 1, mtimeMs: 1, sha256: 'p3', kind: 'export' }), { folder: 'p3', name: 'SR1.dcm' }, '2000-01-01T00:00:00.000Z'));
    const wave = await store.transaction((tx) => tx.studies.claimDue(new Date().toISOString(), 10));
    const patients = wave.map((s) => s.patientRef);
    expect(new Set(patients).size).toBe(patients.length);
    expect(wave).toHaveLength(2); // one of SAME at this site, and SAME of SITE-B, another patient
    expect(await store.transaction((tx) => tx.studies.claimDue(new Date().toISOString(), 10))).toEqual([]); // the other is the claimed patient's
  });

  it('names the study when a stored result or instance no longer reads', async () => {
    const { study, part } = await receivedAndTaken('broken');
    await commit(study, part, true);
    await empty.run("UPDATE classifications SET result = '{\"patient\": 1}' WHERE study_ref = ?", study.id);
    await expect(store.studies.storedResult(study, 1)).rejects.toThrow(StoredDataError);
    await expect(store.studies.storedResult(study, 1)).rejects.toThrow(`study ${study.studyUid} version 1`);
    await empty.run("UPDATE instance_extractions SET extraction = 'not json' WHERE instance_ref IN (SELECT id FROM instances WHERE study_ref = ?)", study.id);
    await expect(store.studies.instancesOf(study)).rejects.toThrow(new RegExp(`study ${study.studyUid.replace(/\./g, '\\.')}, instance from broken/SR1\\.dcm: the stored JSON does not parse`));
    // an instance whose extraction row is gone is an error naming it, never a study without it
    await empty.run('DELETE FROM instance_extractions WHERE instance_ref IN (SELECT id FROM instances WHERE study_ref = ?)', study.id);
    await expect(store.studies.instancesOf(study)).rejects.toThrow(StoredDataError);
    await expect(store.studies.instancesOf(study)).rejects.toThrow('instance from broken/SR1.dcm');
    await empty.run("UPDATE studies SET state = 'assembling' WHERE id = ?", study.id).catch(() => undefined); // refused by the CHECK: never stored
    await empty.run("UPDATE letters SET kind = 'fax' WHERE study_ref = ?", study.id).catch(() => undefined);
  });

  it('takes an inbox file once among unfinished files, and again once it is finished', async () => {
    const file = { inboxPath: 'a/SR1.dcm', size: 1, mtimeMs: 1, sha256: 'x', kind: 'export' as const };
    const id = await store.files.recordReceived(file);
    await expect(store.as({ instance: 'b', inboxKey: '', localIssuer: '' }).files.recordReceived(file)).rejects.toThrow();
    await store.files.recordMoved(id);
    await expect(store.files.recordReceived(file)).resolves.toBeGreaterThan(id); // the same bytes sent again later
  });
});
