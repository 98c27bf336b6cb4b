import { describe, expect, it } from 'vitest';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import type { StudyStore } from '../../src/store/study-store.ts';
import { commitVersion } from '../../src/store/study-transitions.ts';
import { freshStoreEach, STORE_ENGINES } from '../helpers/store-engines.ts';
import { receivedAndTaken } from '../helpers/store-studies.ts';

describe.each(STORE_ENGINES)('the worklist queries on $name', (engine) => {
  const fresh = freshStoreEach(engine);

  /** A study received, assembled and committed: held, or released to these destinations. */
  async function committed(id: string, options: { patientId?: string; studyDate?: string; family?: string; releasable: boolean; destinations?: string[] }): Promise<number> {
    const { study, part } = await receivedAndTaken(fresh.store, id, options);
    const assessed = await assessStudy(mergeStudy([part]), undefined, undefined, async () => null);
    const releasable = options.releasable;
    const classification = { ...assessed.classification, releasable, holdingFlags: releasable ? [] : (['MENOPAUSE_UNKNOWN'] as const).slice() };
    await commitVersion(fresh.store, { study, version: 1, fingerprint: 'f1', assessed: { ...assessed, classification }, letters: [], superseded: [], madeWith: 'setup', reason: 'test', destinations: options.destinations ?? [], at: new Date() });
    return study.id;
  }

  it('lists held studies oldest first, narrowed by date and by text in name, patient ID or accession (case and LIKE wildcards taken literally)', async () => {
    await committed('1', { patientId: 'P-100', studyDate: '2026-03-01', family: 'Jansen', releasable: false });
    await committed('2', { patientId: 'Q_200', studyDate: '2026-01-15', family: 'de Vries', releasable: false });
    await committed('3', { patientId: 'P-300', studyDate: '2026-02-01', family: 'Bakker', releasable: true });
    const ids = async (filter: Parameters<StudyStore['worklist']['held']>[0]) => (await fresh.store.worklist.held(filter)).rows.map((study) => study.patientId);
    expect(await ids({})).toEqual(['Q_200', 'P-100']);
    const [first] = (await fresh.store.worklist.held({})).rows;
    expect(first?.assessed?.patient.name?.family).toBe('de Vries');
    expect(first?.assessed?.classification.holdingFlags).toEqual(['MENOPAUSE_UNKNOWN']);
    expect(await ids({ from: '2026-02-01' })).toEqual(['P-100']);
    expect(await ids({ to: '2026-02-01' })).toEqual(['Q_200']);
    expect(await ids({ text: 'JANSEN' })).toEqual(['P-100']);
    expect(await ids({ text: 'vries' })).toEqual(['Q_200']);
    expect(await ids({ text: 'anna de' })).toEqual(['Q_200']);
    expect(await ids({ text: 'p-1' })).toEqual(['P-100']);
    expect(await ids({ text: '_' })).toEqual(['Q_200']);
    expect(await ids({ text: '%' })).toEqual([]);
    const accession = first?.accession;
    if (accession) expect(await ids({ text: accession.toLowerCase() })).toEqual(['Q_200']);
    const released = await fresh.store.worklist.recentlyReleased({}, 10);
    expect(released.rows.map((study) => study.patientId)).toEqual(['P-300']);
    expect(released.total).toBe(1);
    expect((await fresh.store.worklist.recentlyReleased({ text: 'bakker' }, 10)).total).toBe(1);
    expect((await fresh.store.worklist.recentlyReleased({ text: 'jansen' }, 10)).total).toBe(0);
  });

  it('lists studies in error, delivery problems and quarantined files, and counts studies in error without reading patients', async () => {
    const held = await committed('1', { releasable: false });
    const released = await committed('2', { releasable: true, destinations: ['pacs', 'archive'] });
    await fresh.store.audit.add(held, 'error', 'letters could not be made (disk full)');
    const deliveries = await fresh.store.deliveries.ofStudy(released);
    const pacs = deliveries.find((d) => d.destination === 'pacs');
    const archive = deliveries.find((d) => d.destination === 'archive');
    await fresh.store.deliveries.attemptFailed(pacs?.id ?? 0, 'share full', null);
    await fresh.store.deliveries.attemptFailed(archive?.id ?? 0, 'timeout', new Date(Date.now() + 60_000).toISOString());
    const errors = await fresh.store.worklist.inError({});
    expect(errors.rows.map((study) => [study.id, study.error.detail])).toEqual([[held, 'letters could not be made (disk full)']]);
    expect(await fresh.store.worklist.inErrorCount()).toBe(1);
    const problems = await fresh.store.worklist.deliveryProblems({});
    expect(problems.rows.map((study) => [study.id, study.delivery.destination, study.delivery.state, study.delivery.lastError])).toEqual([
      [released, 'pacs', 'failed', 'share full'],
      [released, 'archive', 'pending', 'timeout'],
    ]);
    // a later entry (a new version classified) ends the error
    await fresh.store.audit.add(held, 'classified', 'version 2');
    expect((await fresh.store.worklist.inError({})).total).toBe(0);
    expect(await fresh.store.worklist.inErrorCount()).toBe(0);

    const fileId = await fresh.store.files.recordReceived({ inboxPath: 'scanner/broken.dcm', size: 1, mtimeMs: 1, sha256: 'x', kind: 'export' });
    await fresh.store.files.recordOutcome(fileId, 'quarantined', '/out/quarantine/broken.dcm', { reason: 'not a DICOM file' });
    const today = new Date().toISOString().slice(0, 10);
    expect((await fresh.store.worklist.quarantined({}, 10)).rows.map((file) => [file.inboxPath, file.reason])).toEqual([['scanner/broken.dcm', 'not a DICOM file']]);
    expect((await fresh.store.worklist.quarantined({ from: today, to: today, text: 'DICOM' }, 10)).total).toBe(1);
    expect((await fresh.store.worklist.quarantined({ to: '2000-01-01' }, 10)).total).toBe(0);
    await fresh.store.worklist.ping();
    expect((await fresh.store.audit.recent(5, ['error'])).map((entry) => entry.studyRef)).toEqual([held]);
  });
});
