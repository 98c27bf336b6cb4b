import { describe, expect, it } from 'vitest';
import { assessVertebrae, genantGrade } from '../../src/clinical/genant.ts';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import { VFA_LEVELS, type VfaVertebra } from '../../src/model/study.ts';
import { fullExam, studyWith, vertebra } from '../helpers/study-builder.ts';

const CUTS: [number, number][] = [[19.9, 0], [20, 1], [24.9, 1], [25, 2], [39.9, 2], [40, 3]];

/** T4–L4 all 20 mm high, except the ones given. */
function spineOf(changes: Record<string, Partial<VfaVertebra>>): VfaVertebra[] {
  return VFA_LEVELS.map((level) => ({ ...vertebra(level, 20, 20, 20), ...changes[level] }));
}

const gradeOf = (vfa: VfaVertebra[], level: string) => assessVertebrae(vfa).find((v) => v.level === level);

describe('Genant grade from heights (clinical-rules §6)', () => {
  it.each(CUTS)('%d %% reduction → grade %d', (percent, grade) => {
    expect(genantGrade(percent / 100)).toBe(grade);
  });

  describe.each(CUTS)('at %d %% → grade %d', (percent, grade) => {
    const reduced = Number((20 * (1 - percent / 100)).toFixed(3));
    it('wedge: anterior against posterior height', () => {
      const result = gradeOf(spineOf({ T9: { anteriorMm: reduced } }), 'T9');
      expect(result?.computedGrade).toBe(grade);
      expect(result?.shape).toBe(grade > 0 ? 'wedge' : null);
    });
    it('biconcave: middle against posterior height', () => {
      const result = gradeOf(spineOf({ L2: { middleMm: reduced } }), 'L2');
      expect(result?.computedGrade).toBe(grade);
      expect(result?.shape).toBe(grade > 0 ? 'biconcave' : null);
    });
    it('crush: posterior height against the mean of the neighbours above and below', () => {
      // T9's neighbours are 19 and 21 mm: the reference is their mean, 20 mm
      const vfa = spineOf({ T8: { anteriorMm: 19, middleMm: 19, posteriorMm: 19 }, T10: { anteriorMm: 21, middleMm: 21, posteriorMm: 21 }, T9: { anteriorMm: reduced, middleMm: reduced, posteriorMm: reduced } });
      expect(gradeOf(vfa, 'T9')?.computedGrade).toBe(grade);
    });
    it('crush at T4: the one neighbour below is the reference', () => {
      const vfa = spineOf({ T4: { anteriorMm: reduced, middleMm: reduced, posteriorMm: reduced } });
      expect(gradeOf(vfa, 'T4')?.computedGrade).toBe(grade);
    });
    it('crush at L4: the one neighbour above is the reference', () => {
      const vfa = spineOf({ L3: { anteriorMm: 20, middleMm: 20, posteriorMm: 20 }, L4: { anteriorMm: reduced, middleMm: reduced, posteriorMm: reduced } });
      expect(gradeOf(vfa, 'L4')?.computedGrade).toBe(grade);
    });
  });

  it('skips a fractured neighbour and takes the nearest normal one as reference', () => {
    // T8 is a wedge fracture with a tall posterior wall; T7 is the nearest normal vertebra above T9
    const vfa = spineOf({ T8: { anteriorMm: 15, posteriorMm: 30 }, T9: { anteriorMm: 15, middleMm: 15, posteriorMm: 15 } });
    const t9 = gradeOf(vfa, 'T9');
    expect(t9?.computedGrade).toBe(2); // 15 against (20 + 20) / 2 = 25 %
    expect(t9?.shape).toBe('crush');
  });

  it('does not let a crushed neighbour serve as the reference of the next', () => {
    const vfa = spineOf({ T8: { anteriorMm: 10, middleMm: 10, posteriorMm: 10 }, T9: { anteriorMm: 14, middleMm: 14, posteriorMm: 14 } });
    expect(gradeOf(vfa, 'T8')?.computedGrade).toBe(3);
    expect(gradeOf(vfa, 'T9')?.computedGrade).toBe(2); // 14 mm against T7 and T10 (20 mm), skipping crushed T8: 30 %
  });

  it("lets the reader's grade win and flags a disagreement", () => {
    const vfa = spineOf({ T11: { anteriorMm: 15.6, readerGrade: 2 } });
    const t11 = gradeOf(vfa, 'T11');
    expect(t11).toMatchObject({ readerGrade: 2, computedGrade: 1, grade: 2 });
    const result = classifyStudy(studyWith({ rows: fullExam(-1.5), vfa }), { menopausalStatus: 'post', fractureHistory: [] });
    expect(result.flags.map((f) => f.code)).toContain('VFA_GRADE_DIFFERS');
  });

  it('grades from the reader alone when no heights are given', () => {
    const vfa = [{ level: 'T6', evaluable: true, anteriorMm: null, middleMm: null, posteriorMm: null, readerGrade: 3 } as VfaVertebra];
    expect(assessVertebrae(vfa)[0]).toMatchObject({ computedGrade: null, grade: 3 });
  });

  it('lists vertebrae that are not evaluable as such, without a grade', () => {
    const vfa = spineOf({ T5: { evaluable: false, anteriorMm: null, middleMm: null, posteriorMm: null } });
    expect(gradeOf(vfa, 'T5')).toMatchObject({ evaluable: false, grade: null, computedGrade: null });
    expect(gradeOf(vfa, 'T6')?.computedGrade).toBe(0);
  });
});
