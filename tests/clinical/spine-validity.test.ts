import { describe, expect, it } from 'vitest';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import { spineExclusionSuggestions, spineValue } from '../../src/clinical/spine-validity.ts';
import { measurement, studyWith, type Row } from '../helpers/study-builder.ts';

const HIPS: Row[] = [['femoral_neck', 'left', -0.5, 0.5], ['total_hip', 'left', 0.0, 1.0]];
const spine = (rows: Row[]) => spineValue(rows.map(measurement), 'tScore');

describe('lumbar spine validity (clinical-rules §3)', () => {
  it('uses L1-L4 when exported, even when a subset is lower', () => {
    const result = spine([['L1-L4', null, -1.8, 0], ['L2-L4', null, -2.6, 0], ['L1', null, -1.5, 0]]);
    expect(result.value).toMatchObject({ region: 'L1-L4', score: -1.8 });
    expect(result.flags).toEqual([]);
  });

  it('without L1-L4, uses the widest combined range and flags it', () => {
    const result = spine([['L1-L2', null, -2.9, 0], ['L2-L4', null, -2.0, 0], ['L3-L4', null, -1.0, 0]]);
    expect(result.value).toMatchObject({ region: 'L2-L4', score: -2.0 });
    expect(result.flags.map((f) => f.code)).toEqual(['SPINE_SUBSET_USED']);
  });

  it('between ranges of equal width, takes the lower score', () => {
    expect(spine([['L1-L3', null, -1.2, 0], ['L2-L4', null, -1.9, 0]]).value).toMatchObject({ region: 'L2-L4' });
  });

  it('never diagnoses on single vertebrae and never averages them', () => {
    const result = spine([['L1', null, -3.0, 0], ['L2', null, -3.1, 0], ['L3', null, -2.9, 0], ['L4', null, -3.0, 0]]);
    expect(result.value).toBeNull();
    expect(result.flags.map((f) => f.code)).toEqual(['SPINE_REANALYSIS_NEEDED']);
    const study = classifyStudy(studyWith({ rows: [['L1', null, -3.0, 0], ['L2', null, -3.1, 0], ...HIPS] }), { menopausalStatus: 'post', fractureHistory: [] });
    expect(study.category).toBe('normal');
    expect(study.releasable).toBe(false);
  });

  it.each([
    ['-1.2', '-0.2', false],
    ['-1.3', '-0.3', false], // 1.0000000000000002 in binary floating point: still exactly 1.0
    ['0.4', '-0.6', false],
    ['-1.3', '-0.2', true],
    ['-2.0', '-0.9', true],
    ['-1.2', '0.4', true],
  ])('adjacent T %s and %s: exclusion suggested %s', (a, b, flagged) => {
    const flags = spineExclusionSuggestions([['L2', null, Number(a), 0] as Row, ['L3', null, Number(b), 0] as Row].map(measurement));
    expect(flags.length > 0).toBe(flagged);
  });

  it('names the vertebra that stands out, once, and holds the study', () => {
    const rows: Row[] = [['L1-L4', null, -1.0, 0], ['L1', null, -1.4, 0], ['L2', null, -1.2, 0], ['L3', null, 0.4, 0], ['L4', null, -1.1, 0], ...HIPS];
    const result = classifyStudy(studyWith({ rows }), { menopausalStatus: 'post', fractureHistory: [] });
    const suggestions = result.flags.filter((f) => f.code === 'SPINE_EXCLUSION_SUGGESTED');
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]?.message).toMatch(/^L3 /);
    expect(result.indexRegion).toBe('L1-L4'); // nothing recomputed
    expect(result.releasable).toBe(false);
  });

  it('does not compare vertebrae that are not adjacent', () => {
    expect(spineExclusionSuggestions([['L1', null, -2.5, 0] as Row, ['L3', null, 0.0, 0] as Row].map(measurement))).toEqual([]);
  });
});
