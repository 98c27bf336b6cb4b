import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/fixtures/deterministic.ts';
import { fixtureStudy, instanceBytes, readBad, readOk, variant } from '../helpers/exports.ts';
import { ctImage, textReportSr } from '../helpers/other-objects.ts';

describe('bad input gets a clear reason, never an exception', () => {
  it('an empty file', () => {
    expect(readBad(new Uint8Array(0))).toMatchObject({ code: 'EMPTY_FILE', error: 'the file is empty' });
  });

  it('random bytes named .dcm', () => {
    const random = seededRandom(7);
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    expect(readBad(bytes, 'random.dcm')).toMatchObject({ code: 'NOT_DICOM', file: 'random.dcm' });
  });

  it('random bytes behind a valid DICM marker', () => {
    const random = seededRandom(9);
    const bytes = Uint8Array.from({ length: 2048 }, () => Math.floor(random() * 256));
    bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
    const failure = readBad(bytes);
    expect(['TRUNCATED', 'DICOM_UNREADABLE', 'NOT_SR', 'MISSING_UID']).toContain(failure.code);
  });

  it('an SR truncated at any offset inside its content is rejected', () => {
    const whole = instanceBytes(fixtureStudy('02'), 1);
    const contentStart = Buffer.from(whole).indexOf(Buffer.from([0x40, 0x00, 0x30, 0xa7])); // (0040,A730)
    expect(contentStart).toBeGreaterThan(0);
    const offsets = [0, 1, 64, 131, 132, 140, 300, 700, contentStart, contentStart + 13];
    for (let fraction = 0.1; fraction < 1; fraction += 0.1) offsets.push(Math.floor(contentStart + (whole.length - contentStart) * fraction));
    offsets.push(whole.length - 1);
    for (const offset of offsets) {
      const failure = readBad(whole.subarray(0, offset), `cut-at-${offset}.dcm`);
      expect(failure.error.length, `offset ${offset}`).toBeGreaterThan(10);
      expect(['EMPTY_FILE', 'NOT_DICOM', 'TRUNCATED', 'DICOM_UNREADABLE', 'MISSING_UID', 'XML_MISMATCH', 'NOT_SR'], `offset ${offset}`).toContain(failure.code);
    }
  });

  it('a truncated header reports a truncated file', () => {
    const whole = instanceBytes(fixtureStudy('02'), 1);
    expect(readBad(whole.subarray(0, 300)).code).toBe('TRUNCATED');
  });

  it('a CT image', () => {
    const failure = readBad(ctImage(), 'ct.dcm');
    expect(failure.code).toBe('NOT_SR');
    expect(failure.error).toBe('not a structured report: a CT object of SOP class 1.2.840.10008.5.1.4.1.1.2');
  });

  it('an SR of another kind', () => {
    const failure = readBad(textReportSr(), 'report.dcm');
    expect(failure.code).toBe('NOT_DXA_SR');
    expect(failure.error).toContain("'Diagnostic Imaging Report' (LN 18748-4)");
  });

  it('a T-score "abc" fails the file, naming the item and the ROI', () => {
    const study = variant(fixtureStudy('02'), 1, { corrupt: { roiIndex: 0, item: 'BMD_TSCORE', raw: 'abc', inXmlToo: true } });
    const failure = readBad(instanceBytes(study, 1));
    expect(failure.code).toBe('UNPARSABLE_VALUE');
    expect(failure.error).toBe("BMD_TSCORE of ROI 'Neck Left' (DualFemur) is 'abc', not a number");
  });

  it('a T-score that lost its decimal point in the SR and its copy alike fails the file as implausible, naming the ROI', () => {
    const study = variant(fixtureStudy('02'), 1, { corrupt: { roiIndex: 0, item: 'BMD_TSCORE', raw: '-18', inXmlToo: true } });
    const failure = readBad(instanceBytes(study, 1));
    expect(failure.code).toBe('IMPLAUSIBLE_VALUE');
    expect(failure.error).toMatch(/the T-score of femoral_neck left \(scan 'DualFemur', 'Neck Left'\) is -18, beyond ±10/);
  });

  it('a value the SR and its XML copy disagree on fails the file, naming the ROI', () => {
    const study = variant(fixtureStudy('02'), 1, { corrupt: { roiIndex: 1, item: 'BMD', raw: '0.999' } });
    const failure = readBad(instanceBytes(study, 1));
    expect(failure.code).toBe('XML_MISMATCH');
    expect(failure.error).toContain("ROI 'Neck Right' (DualFemur)");
    expect(failure.error).toContain("'0.999' in the SR");
  });

  it('an unparsable value in an export without XML copy fails the same way', () => {
    const study = variant(fixtureStudy('14'), 0, { corrupt: { roiIndex: 2, item: 'BMD_ZSCORE', raw: '1.2.3' } });
    expect(readBad(instanceBytes(study, 0)).error).toBe("BMD_ZSCORE of ROI 'L3' (AP Spine) is '1.2.3', not a number");
  });

  it('the untouched file of the same study still reads', () => {
    expect(readOk(instanceBytes(fixtureStudy('02'), 1)).measurements.length).toBeGreaterThan(0);
  });
});
