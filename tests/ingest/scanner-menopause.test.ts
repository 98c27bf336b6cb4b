import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeHologicBlob, type BlobPatientInput } from '../../src/fixtures/hologic-blob.ts';
import { writeHologicSc } from '../../src/fixtures/write-hologic-sc.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { loadPageTexts } from '../../src/web/page-texts.ts';
import { contextView } from '../../src/web/study-context.ts';
import { readOk } from '../helpers/exports.ts';
import { blobInput, HIP_ROWS, PATIENT, summaryTable } from '../readers/hologic-blob-cases.ts';

/** A Hologic left hip of 2 December 2026 for a patient born 14 March 1964: 62 at the scan. */
function hologicHip(patient: Partial<BlobPatientInput> = {}, key = 'test/scanner-menopause'): Uint8Array {
  const person = { ...PATIENT, dob: '03/14/1964', age: 62, ...patient };
  const blob = writeHologicBlob({ ...blobInput([summaryTable([...HIP_ROWS])], { mode: 'x Left Hip', analysisProtocol: 'Left Hip' }), patient: person });
  return writeHologicSc({ key, blob, blobVr: 'UN', patientId: person.patientId, patientName: person.name, birthDate: '19640314', sex: person.sex === 'Female' ? 'F' : 'M', studyDate: '20261202' });
}

const codes = (study: AssessedStudy) => study.classification.flags.map((f) => f.code);
const warningCodes = (study: { warnings: { code: string }[] }) => study.warnings.map((w) => w.code);

describe("the menopausal status from a Hologic export's MenopauseAge, from the bytes to the assessed study", () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-scanner-menopause-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  const assess = async (bytes: Uint8Array, sidecar?: object) => {
    await writeFile(join(folder, 'hip.dcm'), bytes);
    if (sidecar !== undefined) await writeFile(join(folder, 'context.json'), JSON.stringify(sidecar));
    const { studies } = await ingestPaths([folder]);
    expect(studies).toHaveLength(1);
    return assessStudy(studies[0]!);
  };

  it('a woman of 62 with MenopauseAge 50 and no sidecar: postmenopausal from the scanner, the T path without MENOPAUSE_UNKNOWN', async () => {
    const study = await assess(hologicHip({ menopauseAge: 50 }));
    expect(study.errors).toEqual([]);
    expect(study.scannerContext).toEqual({ menopauseAge: 50, ageAtScan: 62, menopausalStatus: 'post' });
    expect(study.context.menopausalStatus).toBe('post');
    expect(study.context.provenance?.menopausalStatus).toEqual({ source: 'scanner' });
    expect(study.classification.path).toBe('T');
    expect(codes(study)).not.toContain('MENOPAUSE_UNKNOWN');
    expect(warningCodes(study)).not.toContain('SCANNER_MENOPAUSE_NOT_USED');
  });

  it("the patient's age is the blob's own dates, not PatInfo's Age", async () => {
    const study = await assess(hologicHip({ menopauseAge: 50, age: 49 }));
    expect(study.scannerContext).toEqual({ menopauseAge: 50, ageAtScan: 62, menopausalStatus: 'post' });
  });

  it("a sidecar's status overrules the scanner's, which the context keeps as overruled", async () => {
    const study = await assess(hologicHip({ menopauseAge: 50 }), { menopausalStatus: 'pre' });
    expect(study.context.menopausalStatus).toBe('pre');
    expect(study.context.provenance?.menopausalStatus).toEqual({ source: 'sidecar', file: join(folder, 'context.json'), overruled: { source: 'scanner', value: 'post' } });
    expect(study.classification.path).toBe('Z');
  });

  it('MenopauseAge equal to her age at the scan: no status from the scanner, a warning, and MENOPAUSE_UNKNOWN', async () => {
    const study = await assess(hologicHip({ menopauseAge: 62 }));
    expect(study.scannerContext).toEqual({ menopauseAge: 62, ageAtScan: 62, menopausalStatus: null });
    expect(study.warnings).toContainEqual({ code: 'SCANNER_MENOPAUSE_NOT_USED', message: expect.stringContaining("not below the patient's age at the scan (62)") as string });
    expect(study.context.menopausalStatus).toBe('unknown');
    expect(study.context.provenance?.menopausalStatus).toBeUndefined();
    expect(codes(study)).toContain('MENOPAUSE_UNKNOWN');
  });

  it('no MenopauseAge: nothing from the scanner and nothing to warn of', async () => {
    const study = await assess(hologicHip({ menopauseAge: null }));
    expect(study.scannerContext).toBeUndefined();
    expect(warningCodes(study)).not.toContain('SCANNER_MENOPAUSE_NOT_USED');
    expect(codes(study)).toContain('MENOPAUSE_UNKNOWN');
  });

  it('a MenopauseAge for a man: no status, a warning', async () => {
    const study = await assess(hologicHip({ menopauseAge: 50, sex: 'Male' }));
    expect(study.scannerContext?.menopausalStatus).toBeNull();
    expect(study.warnings).toContainEqual({ code: 'SCANNER_MENOPAUSE_NOT_USED', message: expect.stringContaining('for a man') as string });
    expect(study.context.provenance?.menopausalStatus).toBeUndefined();
  });
});

describe("instances of one study and the scanner's MenopauseAge", () => {
  const second = (bytes: Uint8Array, file: string) => {
    const part = readOk(bytes, file);
    return { ...part, instance: { ...part.instance, sopInstanceUid: `${part.instance.sopInstanceUid}.2`, instanceNumber: 2 } };
  };

  it("the reader gives PatInfo's MenopauseAge as written, with the blob's own birth and scan dates", () => {
    expect(readOk(hologicHip({ menopauseAge: 50, age: 49 })).scannerContext).toEqual({ menopauseAge: 50, birthDate: '1964-03-14', scanDate: '2026-12-02' });
    expect(readOk(hologicHip({ menopauseAge: null })).scannerContext).toEqual({ menopauseAge: null, birthDate: '1964-03-14', scanDate: '2026-12-02' });
  });

  it('agreeing: one status for the study, one judgement', () => {
    const merged = mergeStudy([readOk(hologicHip({ menopauseAge: 50 }), 'a.dcm'), second(hologicHip({ menopauseAge: 50 }), 'b.dcm')]);
    expect(merged.scannerContext).toEqual({ menopauseAge: 50, ageAtScan: 62, menopausalStatus: 'post' });
    expect(warningCodes(merged)).not.toContain('SCANNER_MENOPAUSE_NOT_USED');
  });

  it('disagreeing (one says 50, another 52 or none): no status from the scanner and a warning naming both, not an error', () => {
    for (const other of [52, null]) {
      const merged = mergeStudy([readOk(hologicHip({ menopauseAge: 50 }), 'a.dcm'), second(hologicHip({ menopauseAge: other }), 'b.dcm')]);
      expect(merged.scannerContext).toBeUndefined();
      expect(merged.errors).toEqual([]);
      const warning = merged.warnings.find((w) => w.code === 'SCANNER_MENOPAUSE_NOT_USED');
      expect(warning?.message).toContain('50 (born 1964-03-14, scanned 2026-12-02) in a.dcm');
      expect(warning?.message).toContain(`${other ?? 'none'} (born 1964-03-14, scanned 2026-12-02) in b.dcm`);
    }
  });

  it('a judged MenopauseAge warns once for the study, not once per instance', () => {
    const merged = mergeStudy([readOk(hologicHip({ menopauseAge: 75 }), 'a.dcm'), second(hologicHip({ menopauseAge: 75 }), 'b.dcm')]);
    expect(merged.warnings.filter((w) => w.code === 'SCANNER_MENOPAUSE_NOT_USED')).toHaveLength(1);
  });
});

describe("the study page's clinical context", () => {
  it('shows a status from the scanner with the age at menopause that gave it, and as the value a sidecar overruled', async () => {
    const texts = await loadPageTexts();
    const words = async (language: 'nl' | 'en') => {
      const page = (key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], texts[language]) as string;
      return { page, letters: await loadTemplates(language), language };
    };
    const part = readOk(hologicHip({ menopauseAge: 50 }), 'hip.dcm');
    const scannerOnly = await assessStudy(mergeStudy([part]), undefined, undefined, async () => null);
    const row = (view: ReturnType<typeof contextView>, label: string) => view.rows.find((r) => r.label === label);
    expect(row(contextView(scannerOnly, await words('en')), 'Menopausal status')).toEqual({ label: 'Menopausal status', value: 'postmenopausal', source: 'scanner (export), age at menopause 50', overruled: null });
    expect(row(contextView(scannerOnly, await words('nl')), 'Menopauzestatus')).toMatchObject({ value: 'postmenopauzaal', source: 'scanner (export), menopauzeleeftijd 50' });

    const overruled = await assessStudy(mergeStudy([part]), { context: { menopausalStatus: 'peri', fractureHistory: [] }, file: '/exports/context.json', given: ['menopausalStatus'] }, undefined, async () => null);
    expect(row(contextView(overruled, await words('en')), 'Menopausal status')).toMatchObject({
      value: 'perimenopausal',
      source: 'context file: context.json',
      overruled: 'overrules: postmenopausal (scanner (export), age at menopause 50)',
    });
  });
});
