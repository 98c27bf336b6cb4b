import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { INSTANCE_CREATOR_UID, sentUids } from '../../src/dicom/write-result-modules.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { vfaRead } from '../../src/fixtures/vfa-builders.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { readInstance } from '../../src/readers/read-instance.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import { encapsulatedDocument, freePort, quietDimse, receivedObjects, startStorescp, storescpAvailable, type Received, type Storescp } from '../helpers/pacs-storescp.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const available = storescpAvailable();
const PDF = '1.2.840.10008.5.1.4.1.1.104.1';
const SR = '1.2.840.10008.5.1.4.1.1.88.33';

describe.skipIf(!available)('results back to PACS: DCMTK storescp as the PACS', () => {
  let root = '';
  let service: RunningService | null = null;
  let pacs: Storescp | null = null;
  beforeEach(async () => {
    quietDimse();
    root = await mkdtemp(join(tmpdir(), 'dexa-pacs-'));
    await mkdir(join(root, 'pacs'));
  });
  afterEach(async () => {
    await service?.stop();
    service = null;
    await pacs?.stop();
    pacs = null;
    await rm(root, { recursive: true, force: true });
  });

  async function start(port: number): Promise<RunningService> {
    const config: DepartmentConfig = {
      ...DEFAULT_CONFIG,
      watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.3, quietSeconds: 0.2 },
      deliveries: {
        destinations: [{ name: 'pacs', kind: 'dicom', aeTitle: 'PACS', host: '127.0.0.1', port, callingAeTitle: 'DEXA', timeoutSeconds: 5 }],
        maxAttempts: 100,
        firstRetrySeconds: 0.2,
        maxRetrySeconds: 0.4,
      },
    };
    service = await startService({ inbox: join(root, 'inbox'), out: join(root, 'out'), database: join(root, 'data', 'dexa.db'), config, templates: await loadTemplates('nl'), logger: pino({ level: 'silent' }) });
    return service;
  }

  async function until<T>(what: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await what();
      if (value) return value;
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function deliveredVersion(running: RunningService, study: FixtureStudy, version: number) {
    const uid = fixtureUids(study).study;
    return until(async () => {
      const record = await running.store.studies.byUid(uid);
      if (record === null) return null;
      const delivery = (await running.store.deliveries.ofStudy(record.id)).find((d) => d.version === version);
      return delivery?.state === 'delivered' ? record : null;
    });
  }

  /** What the PACS holds of one version: its PDF and its SR, each once. */
  function ofVersion(received: Received[], studyUid: string, version: number) {
    const uids = sentUids(studyUid, version, 'pacs');
    const pdf = received.filter((r) => r.dataset['SOPInstanceUID'] === uids.pdfInstance);
    const sr = received.filter((r) => r.dataset['SOPInstanceUID'] === uids.srInstance);
    expect(pdf).toHaveLength(1);
    expect(sr).toHaveLength(1);
    return { uids, pdf: pdf[0] as Received, sr: sr[0] as Received };
  }

  it('sends the released GP letter byte for byte and the result as a profile SR, in the study, as new series; an amendment references them', async () => {
    const port = await freePort();
    pacs = await startStorescp(join(root, 'pacs'), port);
    const running = await start(port);
    const study = syntheticStudy('to-pacs', { neck: -2.6 });
    await drop(join(root, 'inbox'), 'first', studyFiles(study));
    const record = await deliveredVersion(running, study, 1);
    const studyUid = fixtureUids(study).study;

    const first = ofVersion(await receivedObjects(join(root, 'pacs')), studyUid, 1);
    const gp = (await running.store.letters.ofStudy(record.id)).find((l) => l.version === 1 && l.kind === 'gp');
    const letter = new Uint8Array(await readFile(gp!.path));
    const { document, padding } = encapsulatedDocument(first.pdf.dataset);
    expect(Buffer.from(document).equals(Buffer.from(letter))).toBe(true);
    expect([...padding]).toEqual(letter.length % 2 === 1 ? [0] : []); // DICOM pads an odd value with one NUL
    expect(first.pdf.dataset).toMatchObject({ SOPClassUID: PDF, Modality: 'DOC', MIMETypeOfEncapsulatedDocument: 'application/pdf', SeriesInstanceUID: first.uids.pdfSeries, DocumentTitle: 'DXA-botdichtheidsmeting: brief aan de huisarts' });

    const stored = await running.store.studies.storedResult(record, 1);
    const read = readInstance(first.sr.bytes, first.sr.file, undefined, { ownResults: 'read' });
    expect(read.instance).toMatchObject({ reader: 'dexa-profile-sr', sopClassUid: SR, seriesInstanceUid: first.uids.srSeries });
    const values = (m: { region: string; side: string | null; bmd: number | null; tScore: number | null; zScore: number | null }) => ({ region: m.region, side: m.side, bmd: m.bmd, tScore: m.tScore, zScore: m.zScore });
    expect(read.measurements.map(values)).toEqual(stored!.measurements.filter((m) => m.bmd !== null).map(values));
    expect(read.vfa).toEqual([]);

    // in the study: its UID, patient and accession; new series, none of the scanner's
    for (const object of [first.pdf, first.sr]) {
      expect(object.dataset).toMatchObject({ StudyInstanceUID: studyUid, PatientID: stored!.patient.id, AccessionNumber: stored!.study.accessionNumber, PatientBirthDate: stored!.patient.birthDate!.replaceAll('-', '') });
      expect(stored!.instances.map((i) => i.seriesInstanceUid)).not.toContain(object.dataset['SeriesInstanceUID']);
      expect(object.dataset['InstanceCreatorUID']).toBe(INSTANCE_CREATOR_UID); // ours, should it come back
    }
    expect(read.patient).toMatchObject({ id: stored!.patient.id, name: stored!.patient.name });
    expect(read.study.accessionNumber).toBe(stored!.study.accessionNumber);

    // a VFA read later amends the release: version 2 goes out as new instances that name version 1's
    const vfa = { ...study, profileInstances: [{ vfa: vfaRead([{ level: 'T9', shape: 'crush', reduction: 0.3 }]), bmd: [] }] };
    await drop(join(root, 'inbox'), 'later', studyFiles(vfa).filter((f) => f.name.startsWith('PR')));
    await deliveredVersion(running, study, 2);
    const received = await receivedObjects(join(root, 'pacs'));
    expect(received).toHaveLength(4);
    const second = ofVersion(received, studyUid, 2);
    const gp2 = (await running.store.letters.ofStudy(record.id)).find((l) => l.version === 2 && l.kind === 'gp');
    expect(Buffer.from(encapsulatedDocument(second.pdf.dataset).document).equals(await readFile(gp2!.path))).toBe(true);
    const predecessors = (dataset: Record<string, unknown>) =>
      (dataset['PredecessorDocumentsSequence'] as { ReferencedSeriesSequence: { ReferencedSOPSequence: { ReferencedSOPInstanceUID: string }[] }[] }[]).map((item) => item.ReferencedSeriesSequence[0]?.ReferencedSOPSequence[0]?.ReferencedSOPInstanceUID);
    expect(second.pdf.dataset['DocumentTitle']).toBe('DXA-botdichtheidsmeting: brief aan de huisarts (gewijzigd, versie 2)');
    expect(predecessors(second.pdf.dataset)).toEqual([first.uids.pdfInstance]);
    expect(predecessors(second.sr.dataset)).toEqual([first.uids.srInstance]);
    const amended = readInstance(second.sr.bytes, second.sr.file, undefined, { ownResults: 'read' });
    const stored2 = await running.store.studies.storedResult(record, 2);
    expect(amended.vfa).toEqual(stored2!.vfa);
    expect(amended.vfa.map((v) => v.level)).toContain('T9');
  }, 60_000);
});
