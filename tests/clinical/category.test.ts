import { describe, expect, it } from 'vitest';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import { parseDecimal } from '../../src/readers/parse-decimal.ts';
import { bornYearsBefore, fullExam, studyWith } from '../helpers/study-builder.ts';

const POST = { menopausalStatus: 'post' as const, fractureHistory: [] };
const lowHipFracture = { menopausalStatus: 'post' as const, fractureHistory: [{ site: 'hip' as const, ageAtFracture: 60, energy: 'low' as const }] };

// Scores as a scanner writes them, parsed the way the readers parse them.
const score = (text: string) => parseDecimal(text) as number;

describe('T path categories (clinical-rules §5)', () => {
  it.each([
    ['0.5', 'normal', 'geen_osteoporose', false],
    ['-0.9', 'normal', 'geen_osteoporose', true],
    ['-1.0', 'normal', 'geen_osteoporose', true],
    ['-1.1', 'osteopenia', 'geen_osteoporose', true],
    ['-1.2', 'osteopenia', 'geen_osteoporose', false],
    ['-2.3', 'osteopenia', 'geen_osteoporose', false],
    ['-2.4', 'osteopenia', 'geen_osteoporose', true],
    ['-2.5', 'osteoporosis', 'osteoporose', true],
    ['-2.6', 'osteoporosis', 'osteoporose', true],
    ['-2.7', 'osteoporosis', 'osteoporose', false],
    ['-4.1', 'osteoporosis', 'osteoporose', false],
  ])('index T %s → %s, NHG %s, BOUNDARY %s', (t, category, nhg, boundary) => {
    const result = classifyStudy(studyWith({ rows: fullExam(score(t), 0) }), POST);
    expect(result.category).toBe(category);
    expect(result.nhgBinary).toBe(nhg);
    expect(result.indexScore).toBe(score(t));
    expect(result.flags.some((f) => f.code === 'BOUNDARY')).toBe(boundary);
  });

  it.each([
    ['-2.4', 'osteopenia'],
    ['-2.5', 'severe_osteoporosis'],
    ['-2.6', 'severe_osteoporosis'],
  ])('index T %s with a qualifying fracture → %s', (t, category) => {
    expect(classifyStudy(studyWith({ rows: fullExam(score(t), 0) }), lowHipFracture).category).toBe(category);
  });

  it('treats a value exported with two decimals by its one-decimal rounding', () => {
    expect(classifyStudy(studyWith({ rows: fullExam(-2.46, 0) }), POST).category).toBe('osteoporosis');
    expect(classifyStudy(studyWith({ rows: fullExam(-1.04, 0) }), POST).category).toBe('normal');
    expect(classifyStudy(studyWith({ rows: fullExam(-1.05, 0) }), POST).category).toBe('osteopenia');
  });

  it('reports one diagnosis, from the lowest region, naming region and side', () => {
    const rows = fullExam(-1.2, 0).map((row) => (row[0] === 'total_hip' && row[1] === 'right' ? (['total_hip', 'right', -2.8, 0] as typeof row) : row));
    const result = classifyStudy(studyWith({ rows }), POST);
    expect(result).toMatchObject({ category: 'osteoporosis', indexRegion: 'total_hip', indexSide: 'right', indexScore: -2.8 });
  });
});

describe('Z path categories (clinical-rules §5)', () => {
  const man45 = { sex: 'male' as const, birthDate: bornYearsBefore(45) };
  it.each([
    ['-1.9', 'within_expected_for_age', false, true],
    ['-2.0', 'below_expected_for_age', true, true],
    ['-2.1', 'below_expected_for_age', true, true],
    ['-2.2', 'below_expected_for_age', true, false],
    ['-1.8', 'within_expected_for_age', false, false],
  ])('index Z %s → %s (secondary-cause flag %s, BOUNDARY %s)', (z, category, secondary, boundary) => {
    const result = classifyStudy(studyWith({ ...man45, rows: fullExam(-3.0, score(z)) }));
    expect(result.category).toBe(category);
    expect(result.nhgBinary).toBeNull();
    expect(result.flags.some((f) => f.code === 'SECONDARY_CAUSE_WORKUP')).toBe(secondary);
    expect(result.flags.some((f) => f.code === 'BOUNDARY')).toBe(boundary);
  });

  it('never says osteoporosis from a Z-score, even with T −3.0 and a fracture', () => {
    const result = classifyStudy(studyWith({ ...man45, rows: fullExam(-3.0, -2.5) }), { menopausalStatus: 'unknown', fractureHistory: [{ site: 'hip', ageAtFracture: 44, energy: 'low' }] });
    expect(result.category).toBe('below_expected_for_age');
  });

  it('flags a secondary-cause work-up for a Z ≤ −2.0 on the T path too', () => {
    const result = classifyStudy(studyWith({ rows: fullExam(-2.0, -2.0) }), POST);
    expect(result.path).toBe('T');
    expect(result.flags.map((f) => f.code)).toContain('SECONDARY_CAUSE_WORKUP');
  });

  it("does not flag a secondary cause from a region that is not diagnostic (Ward's)", () => {
    const result = classifyStudy(studyWith({ rows: [...fullExam(-1.0, -0.5), ['wards', 'left', -3.0, -2.5]] }), POST);
    expect(result.flags.map((f) => f.code)).not.toContain('SECONDARY_CAUSE_WORKUP');
  });
});

describe('vendor category (clinical-rules §8)', () => {
  it.each([
    ['Osteopenia', -2.6, true],
    ['Osteoporosis', -2.6, false],
    ['WHO Classification: Normal', -0.4, false],
    ['Normal', -1.5, true],
  ])("scanner text '%s' with index %d → flag %s", (text, t, flagged) => {
    const result = classifyStudy(studyWith({ rows: fullExam(t, 0), vendorCategory: text }), POST);
    expect(result.flags.some((f) => f.code === 'VENDOR_CATEGORY_DIFFERS')).toBe(flagged);
    expect(result.releasable).toBe(!flagged && !result.flags.some((f) => f.severity === 'review'));
  });
});
