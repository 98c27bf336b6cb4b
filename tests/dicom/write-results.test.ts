import dcmjs from 'dcmjs';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeEncapsulatedPdf } from '../../src/dicom/write-encapsulated-pdf.ts';
import { writeProfileSr } from '../../src/dicom/write-profile-sr.ts';
import { decimalString, personName, sentUids, toPart10, type ResultToSend } from '../../src/dicom/write-result-modules.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { readInstance } from '../../src/readers/read-instance.ts';
import { readExportBytes } from '../../src/ingest/read-file.ts';
import { decideIntake } from '../../src/watch/intake-decision.ts';
import { assessedFixture, FIXTURES } from '../helpers/letters.ts';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

function resultOf(assessed: AssessedStudy, version = 1, predecessors: number[] = []): ResultToSend {
  const uid = assessed.study.studyInstanceUid;
  return { assessed, version, uids: sentUids(uid, version, 'pacs'), predecessors: predecessors.map((v) => sentUids(uid, v, 'pacs')), releasedAt: new Date('2026-11-23T09:30:00Z') };
}

function parse(bytes: Uint8Array): Record<string, unknown> {
  const file = DicomMessage.readFile(bytes.slice().buffer);
  return DicomMetaDictionary.naturalizeDataset(file.dict) as Record<string, unknown>;
}

/** What the profile reader gives back for what was sent: BMD groups (those with a BMD), VFA and the scanner's category. */
function sentValues(assessed: AssessedStudy) {
  return {
    measurements: assessed.measurements.filter((m) => m.bmd !== null).map((m) => ({ region: m.region, side: m.side, bmd: m.bmd, tScore: m.tScore, zScore: m.zScore })),
    vfa: assessed.vfa,
    vendorCategory: assessed.study.vendorCategory,
  };
}

describe('the results written for a PACS', () => {
  const fixtures = readdirSync(FIXTURES).filter((name) => /^\d\d-/.test(name));

  it.each(fixtures)('%s: the profile SR reads back to the values of the study, in the study, as a new series', async (fixture) => {
    const assessed = await assessedFixture(fixture.slice(0, 3));
    const result = resultOf(assessed);
    const extraction = readInstance(toPart10(writeProfileSr(result, 'dr. A. de Voorbeeld')), 'sent.dcm', undefined, { ownResults: 'read' });
    expect(extraction.instance.reader).toBe('dexa-profile-sr');
    expect(extraction.instance.sopInstanceUid).toBe(result.uids.srInstance);
    expect(extraction.instance.seriesInstanceUid).toBe(result.uids.srSeries);
    expect(extraction.study.studyInstanceUid).toBe(assessed.study.studyInstanceUid);
    expect(extraction.study.accessionNumber).toBe(assessed.study.accessionNumber);
    // the profile names the device that measured, so the SR agrees with the scanner's own objects
    expect(extraction.study).toMatchObject({ manufacturer: assessed.study.manufacturer, model: assessed.study.model, deviceSerialNumber: assessed.study.deviceSerialNumber, softwareVersion: assessed.study.softwareVersion, studyDate: assessed.study.studyDate });
    expect(extraction.patient).toMatchObject({ id: assessed.patient.id, name: assessed.patient.name, birthDate: assessed.patient.birthDate, sex: assessed.patient.sex });
    expect({
      measurements: extraction.measurements.map((m) => ({ region: m.region, side: m.side, bmd: m.bmd, tScore: m.tScore, zScore: m.zScore })),
      vfa: extraction.vfa,
      vendorCategory: extraction.study.vendorCategory,
    }).toEqual(sentValues(assessed));
  });

  it('the Encapsulated PDF holds the letter byte for byte, padded to even length as DICOM says, with its exact length', async () => {
    const assessed = await assessedFixture('01-');
    for (const pdf of [new TextEncoder().encode('%PDF-1.7 odd\n%%EOF\n'), new TextEncoder().encode('%PDF-1.7 even\n%%EOF\n')]) {
      const dataset = parse(toPart10(writeEncapsulatedPdf(resultOf(assessed), pdf, 'DXA letter')));
      const document = new Uint8Array((dataset['EncapsulatedDocument'] as ArrayBuffer[])[0] as ArrayBuffer);
      expect(document.length % 2).toBe(0);
      expect(dataset['EncapsulatedDocumentLength']).toBe(pdf.length);
      expect(document.subarray(0, pdf.length)).toEqual(pdf);
      expect(document.subarray(pdf.length)).toEqual(new Uint8Array(pdf.length % 2));
      expect(dataset).toMatchObject({
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.104.1',
        Modality: 'DOC',
        MIMETypeOfEncapsulatedDocument: 'application/pdf',
        StudyInstanceUID: assessed.study.studyInstanceUid,
        AccessionNumber: assessed.study.accessionNumber,
        PatientID: assessed.patient.id,
      });
    }
  });

  it('an amended version references what the earlier versions sent, and its UIDs are those of every try', async () => {
    const assessed = await assessedFixture('02-');
    const uid = assessed.study.studyInstanceUid;
    const sr = parse(toPart10(writeProfileSr(resultOf(assessed, 3, [1, 2]), 'dr. A. de Voorbeeld')));
    const pdf = parse(toPart10(writeEncapsulatedPdf(resultOf(assessed, 3, [1, 2]), new Uint8Array([37, 80]), 'DXA letter')));
    const referenced = (dataset: Record<string, unknown>) =>
      (dataset['PredecessorDocumentsSequence'] as { StudyInstanceUID: string; ReferencedSeriesSequence: { SeriesInstanceUID: string; ReferencedSOPSequence: { ReferencedSOPInstanceUID: string }[] }[] }[]).map((item) => ({
        study: item.StudyInstanceUID,
        series: item.ReferencedSeriesSequence[0]?.SeriesInstanceUID,
        instance: item.ReferencedSeriesSequence[0]?.ReferencedSOPSequence[0]?.ReferencedSOPInstanceUID,
      }));
    const [v1, v2] = [sentUids(uid, 1, 'pacs'), sentUids(uid, 2, 'pacs')];
    expect(referenced(sr)).toEqual([{ study: uid, series: v1.srSeries, instance: v1.srInstance }, { study: uid, series: v2.srSeries, instance: v2.srInstance }]);
    expect(referenced(pdf)).toEqual([{ study: uid, series: v1.pdfSeries, instance: v1.pdfInstance }, { study: uid, series: v2.pdfSeries, instance: v2.pdfInstance }]);
    expect(sentUids(uid, 3, 'pacs')).toEqual(sentUids(uid, 3, 'pacs'));
    expect(new Set(Object.values(sentUids(uid, 3, 'pacs'))).size).toBe(5);
    expect(sentUids(uid, 3, 'pacs').srInstance).not.toBe(sentUids(uid, 3, 'other-pacs').srInstance);
    expect(readInstance(toPart10(writeProfileSr(resultOf(assessed, 3, [1, 2]), 'dr. A. de Voorbeeld')), 'amended.dcm', undefined, { ownResults: 'read' }).instance.reader).toBe('dexa-profile-sr');
  });

  it('numbers fit a decimal string, names a person name', () => {
    expect(decimalString(0.823)).toBe('0.823');
    expect(decimalString(-2.5)).toBe('-2.5');
    expect(decimalString(0.1 + 0.2).length).toBeLessThanOrEqual(16);
    expect(Number(decimalString(0.1 + 0.2))).toBeCloseTo(0.3, 12);
    for (const value of [1e-7, 0.1 + 0.2, -1234567.891234567, 123456789012345]) expect(decimalString(value)).toMatch(/^-?\d+(\.\d+)?$/);
    expect(() => decimalString(1e20)).toThrow('does not fit a DICOM decimal string');
    expect(decimalString(1e-7)).toBe('0.00000010000000');
    expect(personName({ family: 'de Vries', given: 'Anna', middle: '', prefix: '', suffix: '' })).toBe('de Vries^Anna');
  });

  it('comes back from a PACS as a result this service sent: never read as an export, archived unread by the watcher', async () => {
    const assessed = await assessedFixture('02-');
    for (const bytes of [toPart10(writeProfileSr(resultOf(assessed), 'dr. A. de Voorbeeld')), toPart10(writeEncapsulatedPdf(resultOf(assessed), Buffer.from('%PDF-1.7\n%%EOF\n'), 'Uitslag'))]) {
      const read = readExportBytes(bytes, 'from-pacs.dcm');
      expect(read.ok).toBe(false);
      if (read.ok) continue;
      expect(read.failure.code).toBe('OWN_RESULT');
      const decision = decideIntake({ kind: 'export', size: bytes.length, maxFileBytes: 1e9, incomplete: null, duplicate: false, at: new Date(), read: { export: read } });
      expect(decision).toMatchObject({ kind: 'ignored' });
    }
  });
});
