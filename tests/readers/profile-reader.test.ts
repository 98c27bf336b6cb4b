import { describe, expect, it } from 'vitest';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { readSrTree } from '../../src/dicom/sr-tree.ts';
import { textReaderFor } from '../../src/dicom/text.ts';
import { LOINC_BY_SITE, VERTEBRA_CODES } from '../../src/dicom/coding.ts';
import { Codes, GENANT_GRADES } from '../../src/readers/dexa-profile/codes.ts';
import { fixtureStudy, profileBytes, readBad, readOk } from '../helpers/exports.ts';

const withProfile = (id: string, change: (bytes: Buffer) => Buffer, index = 0) => change(Buffer.from(profileBytes(fixtureStudy(id), index)));
/** Same-length byte replacement: the file stays well-formed DICOM, only the code changes. */
const swap = (from: string, to: string) => (bytes: Buffer) => {
  if (from.length !== to.length) throw new Error('swap needs equal lengths');
  const at = bytes.indexOf(from);
  if (at < 0) throw new Error(`'${from}' not in the file`);
  const copy = Buffer.from(bytes);
  copy.write(to, at, 'latin1');
  return copy;
};

describe('project DXA SR profile reader', () => {
  it('is a TID 1500 Imaging Measurement Report with DXA as procedure', () => {
    const dataSet = parseDicomBytes(profileBytes(fixtureStudy('15'), 0));
    const root = readSrTree(dataSet, textReaderFor(dataSet));
    expect(root.concept).toMatchObject({ value: Codes.report.value, scheme: 'DCM' });
    expect(root.children.find((c) => c.concept?.value === Codes.procedureReported.value)?.code).toMatchObject({ value: '241686001', scheme: 'SCT' });
  });

  it('reads one VFA vertebra per measurement group, T4 to L4', () => {
    const extraction = readOk(profileBytes(fixtureStudy('16'), 0));
    expect(extraction.instance.reader).toBe('dexa-profile-sr');
    expect(extraction.vfa.map((v) => v.level)).toEqual(['T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4']);
    expect(extraction.vfa.find((v) => v.level === 'T12')).toEqual({ level: 'T12', evaluable: true, anteriorMm: 17.9, middleMm: 21.4, posteriorMm: 23, readerGrade: null });
    expect(extraction.measurements).toEqual([]);
  });

  it('reads vertebrae marked not evaluable', () => {
    const extraction = readOk(profileBytes(fixtureStudy('19'), 0));
    expect(extraction.vfa.filter((v) => !v.evaluable).map((v) => v.level)).toEqual(['T5', 'T6']);
  });

  it("reads the reader's Genant grade", () => {
    expect(readOk(profileBytes(fixtureStudy('20'), 1)).vfa.find((v) => v.level === 'T11')?.readerGrade).toBe(2);
  });

  it('reads BMD groups: spine ranges from their vertebrae, hip sides from laterality, and the scanner category', () => {
    const extraction = readOk(profileBytes(fixtureStudy('20'), 0));
    expect(extraction.measurements.map((m) => `${m.region}/${m.side}`).sort()).toEqual(['L1-L4/null', 'femoral_neck/left', 'femoral_neck/right', 'total_hip/left', 'total_hip/right']);
    expect(extraction.measurements.find((m) => m.region === 'femoral_neck' && m.side === 'right')).toMatchObject({ tScore: -2.0, bmc: null });
    expect(extraction.study.vendorCategory).toBe('Osteoporosis');
    expect(extraction.study.manufacturer).toBe('GE Healthcare');
  });

  it('refuses an unknown Genant grade code', () => {
    const failure = readBad(withProfile('20', swap(GENANT_GRADES[2]!.value, 'GENANT-7'), 1));
    expect(failure).toMatchObject({ code: 'PROFILE_INVALID' });
    expect(failure.error).toContain("unknown Genant grade code 'GENANT-7'");
  });

  it('refuses vertebrae that are not contiguous in one BMD group', () => {
    // the L1-L4 group names L1, L2, L3, L4; with L2's code turned into L4's it names L1, L3, L4, L4
    const failure = readBad(withProfile('20', swap(VERTEBRA_CODES.L2.value, VERTEBRA_CODES.L4.value)));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain('not contiguous');
  });

  it('refuses a height in another unit than mm', () => {
    // (0008,0100) SH, length 2, "mm": the CodeValue of the first unit code
    const element = Buffer.from([0x08, 0x00, 0x00, 0x01, 0x53, 0x48, 0x02, 0x00, 0x6d, 0x6d]);
    const bytes = Buffer.from(profileBytes(fixtureStudy('16'), 0));
    const at = bytes.indexOf(element);
    expect(at).toBeGreaterThan(0);
    bytes.write('cm', at + 8, 'latin1');
    const failure = readBad(bytes);
    expect(failure.code).toBe('UNEXPECTED_UNIT');
    expect(failure.error).toContain("expected 'mm'");
  });

  it('uses LOINC per-site quantities', () => {
    const bytes = Buffer.from(profileBytes(fixtureStudy('21'), 0));
    for (const code of [LOINC_BY_SITE.lumbarSpine.tScore, LOINC_BY_SITE.femur.tScore, LOINC_BY_SITE.hip.tScore]) {
      expect(bytes.includes(code.value), code.meaning).toBe(true);
    }
  });
});
