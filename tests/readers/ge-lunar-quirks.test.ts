import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../src/model/study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { readSrTree } from '../../src/dicom/sr-tree.ts';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { textReaderFor } from '../../src/dicom/text.ts';
import { fixtureStudy, instanceBytes, readOk, variant } from '../helpers/exports.ts';

const find = (extraction: { measurements: Measurement[] }, region: string, side: string | null) =>
  extraction.measurements.find((m) => m.region === region && m.side === side);

describe('GE Lunar enCORE Enhanced SR reader, on the quirks of real exports', () => {
  it('reads a study split over three instances, each with a part of the scans', () => {
    const study = fixtureStudy('01');
    const parts = study.instances.map((_, index) => readOk(instanceBytes(study, index), `SR${index}.dcm`));
    expect(parts[0]?.measurements.map((m) => m.region)).toContain('L1-L4');
    expect(parts[0]?.measurements.some((m) => m.region === 'femoral_neck')).toBe(false);
    expect(parts[1]?.measurements.some((m) => m.region === 'L1')).toBe(false);
    const merged = mergeStudy(parts);
    expect(merged.errors).toEqual([]);
    expect(merged.instances).toHaveLength(3);
    expect(find(merged, 'L1-L4', null)?.tScore).toBe(0);
    expect(find(merged, 'femoral_neck', 'left')?.tScore).toBe(-0.6);
    expect(find(merged, 'wards', 'right')).toBeDefined();
  });

  it('keeps Diff. rows out of the measurements and Mean rows as side "mean"', () => {
    const extraction = readOk(instanceBytes(fixtureStudy('10'), 1));
    expect(extraction.measurements.every((m) => !m.source.roi.endsWith('Diff.'))).toBe(true);
    const neckDiff = extraction.sideDifferences.find((d) => d.region === 'femoral_neck');
    expect(neckDiff?.tScore).toBe(1.6);
    expect(neckDiff?.source.roi).toBe('Neck Diff.');
    const mean = find(extraction, 'femoral_neck', 'mean');
    expect(mean?.tScore).toBe(-1.9);
    expect(find(extraction, 'femoral_neck', 'left')?.tScore).toBe(-2.7);
    expect(find(extraction, 'femoral_neck', 'right')?.tScore).toBe(-1.1);
  });

  it('leaves a missing BMD_PYA as null and reads the rest of that ROI', () => {
    const extraction = readOk(instanceBytes(fixtureStudy('03'), 1));
    const totalRight = find(extraction, 'total_hip', 'right');
    expect(totalRight?.youngAdultPercent).toBeNull();
    expect(totalRight?.bmd).toBeTypeOf('number');
    expect(totalRight?.tScore).toBe(-1.8);
    expect(find(extraction, 'total_hip', 'left')?.youngAdultPercent).toBeTypeOf('number');
  });

  it('reads the same values whatever the order of the items inside an ROI', () => {
    const study = fixtureStudy('04');
    const shuffled = instanceBytes(study, 1);
    const ordered = instanceBytes(variant(study, 1, { shuffleSeed: undefined }), 1);
    expect(Buffer.compare(Buffer.from(shuffled), Buffer.from(ordered))).not.toBe(0);
    const orderOf = (bytes: Uint8Array) => {
      const dataSet = parseDicomBytes(bytes);
      const neck = readSrTree(dataSet, textReaderFor(dataSet)).children.find((c) => c.valueType === 'CONTAINER')?.children[0];
      return neck?.children.map((item) => item.concept?.meaning).join(',');
    };
    expect(orderOf(shuffled)).not.toBe(orderOf(ordered));
    expect(readOk(shuffled).measurements).toEqual(readOk(ordered).measurements);
  });

  it('reads L1-L4 when exported and only the exported subset when it is not', () => {
    const withRange = readOk(instanceBytes(fixtureStudy('02'), 0));
    expect(withRange.measurements.map((m) => m.region)).toContain('L1-L4');
    const subset = readOk(instanceBytes(fixtureStudy('11'), 0));
    expect(subset.measurements.map((m) => m.region).sort()).toEqual(['L2', 'L2-L4', 'L3', 'L3-L4', 'L4']);
    const singles = readOk(instanceBytes(fixtureStudy('12'), 0));
    expect(singles.measurements.map((m) => m.region).sort()).toEqual(['L1', 'L2', 'L3', 'L4']);
  });

  it('reads decimal values written as strings, keeping their value exactly', async () => {
    const bytes = await readFile(new URL('../../fixtures/05-t-minus-2-5-woman-67/SR0002.dcm', import.meta.url));
    const extraction = readOk(bytes);
    const totalRight = find(extraction, 'total_hip', 'right');
    expect(totalRight?.tScore).toBe(-2.5);
    expect(totalRight?.bmd).toBe(0.7);
    expect(Buffer.from(bytes).includes('0.700')).toBe(true);
  });

  it('accepts T- and Z-scores written with a decimal comma', () => {
    const study = fixtureStudy('13');
    const bytes = instanceBytes(study, 0);
    expect(Buffer.from(bytes).includes('-2,9')).toBe(true);
    const extraction = readOk(bytes);
    expect(find(extraction, 'femoral_neck', 'left')?.tScore).toBe(-2.9);
    expect(find(extraction, 'L3', null)?.tScore).toBe(-2.6);
  });

  it('reads single Left Femur and Right Femur scans, taking the side from the scan', () => {
    expect(find(readOk(instanceBytes(fixtureStudy('12'), 1)), 'femoral_neck', 'left')?.tScore).toBe(-2.1);
    expect(find(readOk(instanceBytes(fixtureStudy('06'), 1)), 'total_hip', 'right')?.tScore).toBe(-1.3);
  });

  it('reads a forearm scan as radius regions of that side', () => {
    const extraction = readOk(instanceBytes(fixtureStudy('09'), 0));
    expect(extraction.measurements.map((m) => `${m.region}/${m.side}`).sort()).toEqual([
      'radius_33/left',
      'radius_total/left',
      'radius_ud/left',
    ]);
    expect(find(extraction, 'radius_33', 'left')?.tScore).toBe(-2.7);
  });

  it('reads an export without the XML copy, with a warning that nothing was cross-checked', () => {
    const extraction = readOk(instanceBytes(fixtureStudy('14'), 0));
    expect(extraction.measurements.length).toBeGreaterThan(0);
    expect(extraction.warnings.map((w) => w.code)).toContain('NO_XML_COPY');
  });

  it('reads patient and study from the header, UTF-8 names included, and the date from StudyDate', () => {
    const extraction = readOk(instanceBytes(fixtureStudy('02'), 0));
    expect(extraction.patient).toEqual({
      id: 'SYN0002',
      issuer: null,
      name: { family: 'de Vries', given: 'Noëlle', middle: '', prefix: '', suffix: '' },
      birthDate: '1968-01-20',
      sex: 'female',
      address: null,
    });
    expect(extraction.study).toMatchObject({
      studyDate: '2026-02-03',
      manufacturer: 'GE Healthcare',
      model: 'Lunar iDXA',
      deviceSerialNumber: '200311',
      softwareVersion: '15.10.046',
    });
    expect(extraction.instance.instanceNumber).toBe(1);
  });
});
