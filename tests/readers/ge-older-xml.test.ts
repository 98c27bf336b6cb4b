import { describe, expect, it } from 'vitest';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { readSrTree } from '../../src/dicom/sr-tree.ts';
import { textReaderFor } from '../../src/dicom/text.ts';
import { expectedResult } from '../../src/fixtures/expected-result.ts';
import type { FixtureInstance } from '../../src/fixtures/fixture-spec.ts';
import { dualFemurScan, personAt, withOmitted } from '../../src/fixtures/scan-builders.ts';
import { olderXmlCopy } from '../../src/fixtures/write-ge-sr.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { EMPTY_CONTEXT } from '../../src/model/clinical-context.ts';
import type { Measurement } from '../../src/model/study.ts';
import { fixtureStudy, instanceBytes, readBad, readOk, variant } from '../helpers/exports.ts';

const study = fixtureStudy('22');
const instance = study.instances[0] as FixtureInstance;
const xml = olderXmlCopy(study, instance);
/** The fixture's SR (no results in its tree) with ImageComments as given. */
const withComments = (text: string) => instanceBytes(variant(study, 0, { imageComments: text }), 0);
const withChange = (change: Partial<FixtureInstance>) => instanceBytes(variant(study, 0, change), 0);
const find = (extraction: { measurements: Measurement[] }, region: string, side: string | null) =>
  extraction.measurements.find((m) => m.region === region && m.side === side);
/** `text` with `from` replaced once, failing the test when `from` is not there. */
const edit = (text: string, from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe('GE Lunar, older <DENSITOMETRY_RESULTS> XML when the SR tree holds no results', () => {
  it('is what the fixture writes: an SR tree without any scan, the results only in ImageComments', () => {
    const dataSet = parseDicomBytes(instanceBytes(study, 0));
    expect(readSrTree(dataSet, textReaderFor(dataSet)).children.some((child) => child.valueType === 'CONTAINER')).toBe(false);
    expect(xml.startsWith('<DENSITOMETRY_RESULTS><CURRENT_EXAM><SCAN type="AP Spine"><TREND><TREND_ROI>L1-L4</TREND_ROI>')).toBe(true);
  });

  it('reads BMD, YAT as the T-score and AMZ as the Z-score exactly as given, naming scan and TREND_ROI as the source', () => {
    const extraction = readOk(instanceBytes(study, 0));
    const values = extraction.measurements.map(({ source: _source, ...rest }) => rest);
    expect(values).toEqual(expectedResult(study).measurements);
    expect(find(extraction, 'L1-L4', null)).toMatchObject({ bmd: 0.985, tScore: -1.6, zScore: -0.2, bmc: null, areaCm2: null, youngAdultPercent: null });
    expect(find(extraction, 'femoral_neck', 'left')).toMatchObject({ bmd: 0.728, tScore: -2.1, zScore: -0.7 });
    expect(find(extraction, 'femoral_neck', 'left')?.source).toEqual({ sopInstanceUid: extraction.instance.sopInstanceUid, scan: 'Left Femur', roi: 'Neck' });
    expect(extraction.sideDifferences).toEqual([]);
  });

  it('warns that the values are not cross-checked, and the study is held for a person (UNVERIFIED_VALUES)', () => {
    const extraction = readOk(instanceBytes(study, 0));
    expect(extraction.warnings.map((w) => w.code)).toEqual(['NO_SECOND_COPY', 'TREND_NOT_USED']);
    expect(extraction.warnings[0]?.message).toContain('older <DENSITOMETRY_RESULTS> XML only');
    const classification = classifyStudy(mergeStudy([extraction]), study.context ?? EMPTY_CONTEXT);
    expect(classification.holdingFlags).toContain('UNVERIFIED_VALUES');
    expect(classification.releasable).toBe(false);
  });

  it('takes the last EXAM of a trend as the current scan, not the earlier one', () => {
    // the earlier exam of the left neck is 0.749 / -1.9 / -0.5
    expect(xml).toContain('<EXAM><EXAM_DATE>4/6/2024</EXAM_DATE><BMD>0.749</BMD><YAT>-1.9</YAT><AMZ>-0.5</AMZ></EXAM>');
    expect(find(readOk(instanceBytes(study, 0)), 'femoral_neck', 'left')).toMatchObject({ bmd: 0.728, tScore: -2.1, zScore: -0.7 });
    // with the exams the other way round, the last is two years old: refused, not read as this study's
    const earlier = '<EXAM><EXAM_DATE>4/6/2024</EXAM_DATE><BMD>1.006</BMD><YAT>-1.4</YAT><AMZ>0.0</AMZ></EXAM>';
    const current = /<EXAM><EXAM_DATE>4\/6\/2026<\/EXAM_DATE>.*?<\/EXAM>/.exec(xml)?.[0] ?? '';
    const swapped = edit(xml, `${earlier}${current}`, `${current}${earlier}`);
    expect(readBad(withComments(swapped))).toMatchObject({ code: 'EXAM_DATE_MISMATCH', error: expect.stringContaining('2024-04-06') });
  });

  it('maps DualFemur trends (Neck Left, Total Mean) through the GE ROI names, and reads a decimal comma', () => {
    const person = personAt(study.patient, study.studyDate);
    const dual = dualFemurScan(person, { neck: -2.2, total: -1.8 }, { neck: -1.9, total: -1.5 }, false);
    const scan = { ...dual, rois: dual.rois.filter((roi) => roi.side !== 'difference') };
    const extraction = readOk(withChange({ scans: [scan], decimalComma: true }));
    expect(olderXmlCopy(study, { scans: [scan], olderXmlOnly: true, decimalComma: true })).toContain('<TREND_ROI>Total Mean</TREND_ROI>');
    expect(find(extraction, 'femoral_neck', 'left')?.tScore).toBe(-2.2);
    expect(find(extraction, 'femoral_neck', 'right')?.tScore).toBe(-1.9);
    expect(find(extraction, 'total_hip', 'mean')?.source.roi).toBe('Total Mean');
    expect(extraction.measurements).toHaveLength(6);
  });

  it('keeps a region given twice with the same values once', () => {
    const neck = /<SCAN type="Left Femur"><TREND><TREND_ROI>Neck<\/TREND_ROI>.*?<\/SCAN>/.exec(xml)?.[0] ?? '';
    const extraction = readOk(withComments(edit(xml, '</CURRENT_EXAM>', `${neck}</CURRENT_EXAM>`)));
    expect(extraction.measurements.filter((m) => m.region === 'femoral_neck')).toHaveLength(1);
  });

  describe('refuses, with its own code, an older XML it cannot trust', () => {
    const neck = /<SCAN type="Left Femur"><TREND><TREND_ROI>Neck<\/TREND_ROI>.*?<\/SCAN>/.exec(xml)?.[0] ?? '';
    it.each([
      ['the current EXAM_DATE is not the StudyDate', edit(xml, '<EXAM_DATE>4/6/2026</EXAM_DATE><BMD>0.728', '<EXAM_DATE>4/7/2026</EXAM_DATE><BMD>0.728'), 'EXAM_DATE_MISMATCH', "is dated 2026-04-07 (EXAM_DATE '4/7/2026') but the study date is 2026-04-06"],
      ['the current EXAM_DATE is not M/D/YYYY', edit(xml, '<EXAM_DATE>4/6/2026</EXAM_DATE><BMD>0.728', '<EXAM_DATE>2026-04-06</EXAM_DATE><BMD>0.728'), 'UNPARSABLE_VALUE', "EXAM_DATE of the current exam of ROI 'Neck' (Left Femur)"],
      ['the current exam has no EXAM_DATE', edit(xml, '<EXAM_DATE>4/6/2026</EXAM_DATE><BMD>0.728', '<BMD>0.728'), 'INCOMPLETE_REPORT', 'has no EXAM_DATE'],
      ['the BMD is not a number', edit(xml, '<BMD>0.728</BMD>', '<BMD>0.7x8</BMD>'), 'UNPARSABLE_VALUE', "BMD of the current exam of ROI 'Neck' (Left Femur) in the <DENSITOMETRY_RESULTS> XML is '0.7x8', not a number"],
      ['the BMD is in mg/cm² (no dividing by 1000)', edit(xml, '<BMD>0.728</BMD>', '<BMD>728</BMD>'), 'IMPLAUSIBLE_VALUE', 'outside 0.1–3 g/cm²'],
      ['the BMD is in another unit', edit(xml, '<BMD>0.728</BMD>', '<BMD units="mg/cm2">0.728</BMD>'), 'UNEXPECTED_UNIT', "'mg/cm2'"],
      ['the T-score is not finite', edit(xml, '<YAT>-2.1</YAT>', `<YAT>-${'9'.repeat(400)}</YAT>`), 'UNPARSABLE_VALUE', 'YAT (T-score)'],
      ['the T-score lost its decimal point', edit(xml, '<YAT>-2.1</YAT>', '<YAT>-21</YAT>'), 'IMPLAUSIBLE_VALUE', "YAT (T-score) of the current exam of ROI 'Neck'"],
      ['the Z-score is empty', edit(xml, '<AMZ>-0.7</AMZ>', '<AMZ></AMZ>'), 'INCOMPLETE_REPORT', 'AMZ (Z-score) of the current exam'],
      ['the T-score is given twice', edit(xml, '<YAT>-2.1</YAT>', '<YAT>-2.1</YAT><YAT>-2.1</YAT>'), 'DUPLICATE_ROI', 'YAT (T-score) appears 2 times'],
      ['TREND_ROI is not a GE ROI name', edit(xml, '<TREND_ROI>Neck</TREND_ROI>', '<TREND_ROI>Nek</TREND_ROI>'), 'UNKNOWN_ROI', "ROI 'Nek' (Left Femur)"],
      ['a trend has no TREND_ROI', edit(xml, '<TREND_ROI>Neck</TREND_ROI>', ''), 'INCOMPLETE_REPORT', 'has no TREND_ROI'],
      ['the scan type is not one GE names', edit(xml, '<SCAN type="Left Femur"><TREND><TREND_ROI>Neck', '<SCAN type="Left Hip"><TREND><TREND_ROI>Neck'), 'UNKNOWN_SCAN', "scan 'Left Hip'"],
      ['a SCAN has no type', edit(xml, '<SCAN type="Left Femur"><TREND><TREND_ROI>Neck', '<SCAN><TREND><TREND_ROI>Neck'), 'INCOMPLETE_REPORT', 'has no type'],
      ['a trend has no EXAM', xml.replace(/(<TREND_ROI>Total<\/TREND_ROI><BASELINE_EXAM_DATE>[^<]*<\/BASELINE_EXAM_DATE>).*?(<\/TREND>)/, '$1$2'), 'INCOMPLETE_REPORT', "ROI 'Total' (Left Femur) in the <DENSITOMETRY_RESULTS> XML has no EXAM"],
      ['a second current exam of a region with other values', edit(xml, '</CURRENT_EXAM>', `${neck.replace('<BMD>0.728</BMD>', '<BMD>0.729</BMD>')}</CURRENT_EXAM>`), 'DUPLICATE_ROI', 'appears twice in this file with different values'],
      ['the XML is cut off', xml.slice(0, xml.length - 30), 'XML_UNREADABLE', 'is not valid XML'],
      ['the XML declares entities', `<!DOCTYPE x [<!ENTITY a "b">]>${xml}`, 'XML_UNREADABLE', 'declares a DTD or entities'],
      ['there is no CURRENT_EXAM', edit(edit(xml, '<CURRENT_EXAM>', ''), '</CURRENT_EXAM>', ''), 'INCOMPLETE_REPORT', 'no single CURRENT_EXAM'],
      ['there is no SCAN', '<DENSITOMETRY_RESULTS><CURRENT_EXAM></CURRENT_EXAM></DENSITOMETRY_RESULTS>', 'NO_RESULTS', 'holds no SCAN'],
    ])('%s', (_case, comments, code, message) => {
      const failure = readBad(withComments(comments));
      expect(failure.code).toBe(code);
      expect(failure.error).toContain(message);
    });

    it('a YAT left out by the writer', () => {
      const scans = instance.scans.map((scan) => (scan.kind === 'femur' ? withOmitted(scan, 'femoral_neck', 'left', ['BMD_TSCORE']) : scan));
      expect(readBad(withChange({ scans }))).toMatchObject({
        code: 'INCOMPLETE_REPORT',
        error: "the current exam of ROI 'Neck' (Left Femur) in the <DENSITOMETRY_RESULTS> XML has no YAT (T-score)",
      });
    });

    it('a BMD the writer corrupts', () => {
      expect(readBad(withChange({ corrupt: { roiIndex: 0, item: 'BMD', raw: 'abc' } })).code).toBe('UNPARSABLE_VALUE');
    });
  });

  it('without the older XML, an SR tree with no ROI is still NO_RESULTS', () => {
    expect(readBad(withComments('scan ok')).code).toBe('NO_RESULTS');
  });

  describe('an SR tree with results is read as before', () => {
    const other = fixtureStudy('02');
    const treeWith = (comments: string) => instanceBytes(variant(other, 0, { imageComments: comments }), 0);
    const olderXml = olderXmlCopy(other, other.instances[0] as FixtureInstance);

    it('values from the tree, the older XML beside it not cross-checked (NO_XML_COPY)', () => {
      const extraction = readOk(treeWith(olderXml));
      expect(extraction.warnings.map((w) => w.code)).toEqual(['NO_XML_COPY']);
      expect(extraction.warnings[0]?.message).toBe('the older <DENSITOMETRY_RESULTS> copy is not cross-checked');
      expect(extraction.measurements).toEqual(readOk(instanceBytes(other, 0)).measurements);
      expect(find(extraction, 'L1-L4', null)?.bmc).toBeTypeOf('number');
    });

    it('and an older XML it does not need is not read, damaged or not', () => {
      expect(readOk(treeWith(olderXml.slice(0, 50))).warnings.map((w) => w.code)).toEqual(['NO_XML_COPY']);
    });
  });
});
