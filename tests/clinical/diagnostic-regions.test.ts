import { describe, expect, it } from 'vitest';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import { studyWith, type Row } from '../helpers/study-builder.ts';

const POST = { menopausalStatus: 'post' as const, fractureHistory: [] };
const BASE: Row[] = [
  ['L1-L4', null, -1.2, 0.1], ['L1', null, -1.1, 0.2], ['L2', null, -1.3, 0.0], ['L3', null, -1.2, 0.1], ['L4', null, -1.1, 0.2],
  ['femoral_neck', 'left', -1.5, -0.2], ['femoral_neck', 'right', -1.4, -0.1], ['total_hip', 'left', -1.0, 0.3], ['total_hip', 'right', -0.9, 0.4],
];

// clinical-rules §2: each region that may not be used, given the lowest score of all
const EXCLUDED: [string, Row][] = [
  ["Ward's area", ['wards', 'left', -3.6, -2.6]],
  ['trochanter', ['trochanter', 'right', -3.6, -2.6]],
  ['upper neck', ['upper_neck', 'left', -3.6, -2.6]],
  ['lower neck', ['lower_neck', 'right', -3.6, -2.6]],
  ['femoral shaft', ['shaft', 'left', -3.6, -2.6]],
  ['bilateral mean of the neck', ['femoral_neck', 'mean', -3.6, -2.6]],
  ['bilateral mean of the total hip', ['total_hip', 'mean', -3.6, -2.6]],
  ['a single vertebra (L2)', ['L2', null, -2.3, -2.6]],
  ['radius ultradistal', ['radius_ud', 'left', -3.6, -2.6]],
  ['radius mid', ['radius_mid', 'left', -3.6, -2.6]],
  ['radius total', ['radius_total', 'left', -3.6, -2.6]],
];

describe('regions that may not be used for diagnosis (clinical-rules §2)', () => {
  const base = classifyStudy(studyWith({ rows: BASE }), POST);

  it('the base study is osteopenia at the left femoral neck', () => {
    expect(base).toMatchObject({ category: 'osteopenia', indexRegion: 'femoral_neck', indexSide: 'left', indexScore: -1.5, releasable: true });
  });

  it.each(EXCLUDED)('%s with the lowest score changes nothing', (_name, row) => {
    const rows = BASE.filter((r) => !(r[0] === row[0] && r[1] === row[1])).concat([row]);
    const result = classifyStudy(studyWith({ rows }), POST);
    expect(result.category).toBe(base.category);
    expect([result.indexRegion, result.indexSide, result.indexScore]).toEqual([base.indexRegion, base.indexSide, base.indexScore]);
    expect(result.nhgBinary).toBe(base.nhgBinary);
    expect(result.diagnosticValues.some((v) => v.score === row[2])).toBe(false);
    expect(result.flags.map((f) => f.code)).not.toContain('SECONDARY_CAUSE_WORKUP');
  });

  it('a Diff. row with the lowest value changes nothing: it is not a measurement at all', () => {
    const study = studyWith({ rows: BASE });
    study.sideDifferences.push({ region: 'femoral_neck', bmd: 0.2, tScore: -3.6, zScore: -3.6, source: { sopInstanceUid: '1.2.3', scan: 'DualFemur', roi: 'Neck Diff.' } });
    expect(classifyStudy(study, POST)).toEqual(base);
  });

  it('radius 33 % is diagnostic when it is the lowest', () => {
    const result = classifyStudy(studyWith({ rows: [...BASE, ['radius_33', 'left', -2.6, -1.0]] }), POST);
    expect(result).toMatchObject({ category: 'osteoporosis', indexRegion: 'radius_33', indexSide: 'left' });
  });

  it('each hip side counts on its own', () => {
    const rows = BASE.map((r): Row => (r[0] === 'total_hip' && r[1] === 'right' ? ['total_hip', 'right', -2.5, -1.0] : r));
    expect(classifyStudy(studyWith({ rows }), POST)).toMatchObject({ category: 'osteoporosis', indexRegion: 'total_hip', indexSide: 'right' });
  });

  it('with no diagnostic region left there is no diagnosis, and the study is held', () => {
    const result = classifyStudy(studyWith({ rows: [['wards', 'left', -3.0, -2.0], ['L2', null, -2.0, -1.0]] }), POST);
    expect(result.category).toBeNull();
    expect(result.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['NO_DIAGNOSTIC_REGION', 'SPINE_REANALYSIS_NEEDED']));
    expect(result.releasable).toBe(false);
  });

  it('one usable site only (spine, hip or forearm) is held for review', () => {
    const hipOnly = BASE.filter((r) => r[0] === 'femoral_neck' || r[0] === 'total_hip');
    const result = classifyStudy(studyWith({ rows: hipOnly }), POST);
    expect(result.flags.map((f) => f.code)).toContain('SINGLE_SITE_ONLY');
    expect(result.releasable).toBe(false);
  });
});
