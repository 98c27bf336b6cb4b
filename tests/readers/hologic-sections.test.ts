import { describe, expect, it } from 'vitest';
import { writeHologicBlob } from '../../src/fixtures/hologic-blob.ts';
import { BlobFault, HologicBlobError } from '../../src/readers/hologic/blob-error.ts';
import { readHologicBlob } from '../../src/readers/hologic/read-hologic-blob.ts';
import { spineRangeOf } from '../../src/readers/hologic/hologic-sections.ts';
import { blobInput, faultOf, HIP_ROWS, PATIENT, summaryTable } from './hologic-blob-cases.ts';

const hip = (patch: (text: string) => string = (text) => text) =>
  readHologicBlob(patch(writeHologicBlob(blobInput([summaryTable(HIP_ROWS)], { mode: 'f Left Hip', analysisProtocol: 'Left Hip' }))));

describe('PatInfo and ScanInfo', () => {
  it('reads the patient with units and the age at menopause', () => {
    expect(hip().patient).toEqual({
      name: 'Jansen^Anna', patientId: 'SYN-0001', sex: 'female', birthDate: { year: 1956, month: 3, day: 14 },
      height: { value: 64.5, unit: 'in' }, weight: { value: 146, unit: 'lb' }, menopauseAge: 51,
    });
  });

  it('reads an empty MenopauseAge as not given', () => {
    const content = readHologicBlob(writeHologicBlob({ ...blobInput([summaryTable(HIP_ROWS)]), patient: { ...PATIENT, sex: 'Male', menopauseAge: null, height: '178 cm', weight: '81.5 kg' } }));
    expect(content.patient).toMatchObject({ sex: 'male', menopauseAge: null, height: { value: 178, unit: 'cm' }, weight: { value: 81.5, unit: 'kg' } });
  });

  it('reads the scan mode prefix, protocol, version and the serial inside the model name', () => {
    expect(hip().scan).toEqual({
      date: { year: 2026, month: 12, day: 2 }, scanId: 'A12022601', mode: { prefix: 'f', name: 'Left Hip' },
      analysisProtocol: 'Left Hip', softwareVersion: '13.6.1.4', model: { name: 'Horizon Ci', serialNumber: '301234M' }, second: null,
    });
  });

  it('reads the dual hip second scan', () => {
    const input = blobInput([summaryTable(HIP_ROWS)], { mode: 'x Left Hip', second: { date: 'December 2, 2026', scanId: 'A12022602', mode: 'x Right Hip' } });
    expect(readHologicBlob(writeHologicBlob(input)).scan.second).toEqual({ date: { year: 2026, month: 12, day: 2 }, scanId: 'A12022602', mode: { prefix: 'x', name: 'Right Hip' } });
  });

  it.each([
    ['a DOB that is not MM/DD/YYYY', (t: string) => t.replace('DOB = "03/14/1956"', 'DOB = "1956-03-14"'), /DOB is "1956-03-14"/],
    ['a day that does not exist', (t: string) => t.replace('DOB = "03/14/1956"', 'DOB = "02/30/1956"'), /DOB/],
    ['an unknown sex', (t: string) => t.replace('PatientSex = "Female"', 'PatientSex = "F"'), /PatientSex/],
    ['a weight without its unit', (t: string) => t.replace('Weight = "146.0  lb"', 'Weight = "146.0"'), /Weight/],
    ['a model without its serial', (t: string) => t.replace('Model = "Horizon Ci (S/N 301234M)"', 'Model = "Horizon Ci"'), /Model/],
    ['a scan mode without prefix', (t: string) => t.replace('ScanMode = "f Left Hip"', 'ScanMode = "Left Hip"'), /ScanMode/],
    ['a menopause age that is not a number', (t: string) => t.replace('MenopauseAge = "51"', 'MenopauseAge = "fifty"'), /MenopauseAge/],
    ['no WHO class', (t: string) => t.replace('WHO Classification: Osteopenia', 'WHO: Osteopenia'), /FractureRiskStr/],
    ['an unknown WHO class', (t: string) => t.replace('WHO Classification: Osteopenia', 'WHO Classification: Severe'), /FractureRiskStr/],
    ['a reference without source', (t: string) => t.replace('Source:2012 BMDCS/Hologic', ''), /GraphTitle2/],
  ])('refuses %s, naming the field', (_, patch, message) => {
    const error = faultOf(() => hip(patch));
    expect([BlobFault.INVALID_VALUE, BlobFault.NOT_A_NUMBER]).toContain(error.fault);
    expect(error.message).toMatch(message);
    expect(error.line).toBeGreaterThan(0);
  });

  it('refuses a blob without PatInfo', () => {
    expect(faultOf(() => hip((t) => t.replace('PatInfo.js', 'Other.js'))).message).toMatch(/no PatInfo section/);
  });
});

describe('Graph, Fracture and the history title', () => {
  it('reads the reference database and the scanner WHO class', () => {
    expect(hip().referenceDatabase).toBe('T-score vs. White Female; Z-score vs. White Female. Source:2012 BMDCS/Hologic');
    expect(hip().scannerWhoClass).toBe('Osteopenia');
    expect(hip((t) => t.replace('WHO Classification: Osteopenia', 'WHO Classification on Bolded Results: Osteoporosis')).scannerWhoClass).toBe('Osteoporosis');
  });

  it.each([
    ['Results History: L1-L3', 'L1-L3'], ['Results History: L2-L4', 'L2-L4'], ['Results History', null], ['', null],
  ])('reads %j as %j', (title, range) => expect(spineRangeOf(title)).toBe(range));

  it.each(['Results History: L3-L1', 'Results History: L1-L5', 'Trend: L1-L4'])('refuses %j', (title) =>
    expect(() => spineRangeOf(title)).toThrow(HologicBlobError));
});
