import { describe, expect, it } from 'vitest';
import { adviceFor, type AdviceInput } from '../../src/clinical/advice.ts';
import type { Category, Classification, FragilityFracture, ScoringPath } from '../../src/model/classification.ts';
import { flag } from '../../src/model/flags.ts';
import { treatmentIndication } from '../../src/clinical/treatment-indication.ts';
import type { FractureHistory } from '../../src/model/clinical-context.ts';

type Sex = AdviceInput['sex'];
const VFA_FRACTURE: FragilityFracture = { source: 'vfa', site: 'T8', grade: 3, date: null };

function input(
  path: ScoringPath,
  category: Category | null,
  age: number | null,
  sex: Sex,
  options: { secondary?: boolean; vertebralFracture?: boolean; history?: FractureHistory[]; birthDate?: string | null } = {},
): AdviceInput {
  const classification: Pick<Classification, 'path' | 'category' | 'age' | 'flags' | 'fragilityFractures'> = {
    path,
    category,
    age,
    flags: options.secondary ? [flag('SECONDARY_CAUSE_WORKUP', 'Z ≤ -2.0')] : [],
    fragilityFractures: options.vertebralFracture ? [VFA_FRACTURE] : [],
  };
  return { classification, sex, fractureHistory: options.history ?? [], birthDate: options.birthDate ?? null };
}

describe('advice by category, path, age and sex (clinical-rules §9, §10.6–§10.8)', () => {
  it.each([
    // path, category, age, sex, options, GP advice ids, patient advice ids, next steps
    ['T', 'normal', 60, 'female', {}, ['lifestyle'], ['calcium', 'vitaminD', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], []],
    ['T', 'normal', 69, 'female', {}, ['lifestyle'], ['calcium', 'vitaminD', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], []],
    ['T', 'normal', 70, 'female', {}, ['fallPrevention', 'lifestyle'], ['calcium', 'vitaminD', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], []],
    ['T', 'osteopenia', 49, 'female', {}, ['calciumVitaminD', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'smoking', 'alcohol'], ['discuss']],
    ['T', 'osteopenia', 50, 'female', {}, ['calciumVitaminD', 'fallPrevention', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], ['discuss']],
    ['T', 'osteopenia', null, 'female', {}, ['calciumVitaminD', 'fallPrevention', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], ['discuss']],
    ['T', 'osteoporosis', 67, 'female', {}, ['treatment', 'calciumVitaminD', 'fallPrevention', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], ['treatment']],
    ['T', 'osteopenia', 79, 'male', { vertebralFracture: true }, ['treatmentAfterFracture', 'calciumVitaminD', 'fallPrevention', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], ['treatment']],
    ['T', 'normal', 70, 'female', { vertebralFracture: true }, ['treatmentAfterFracture', 'calciumVitaminD', 'fallPrevention', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], ['treatment']],
    ['T', 'osteopenia', 68, 'male', { secondary: true }, ['calciumVitaminD', 'fallPrevention', 'secondaryCauseMale', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], ['discuss', 'secondaryCause']],
    ['Z', 'below_expected_for_age', 46, 'male', { secondary: true }, ['calciumVitaminD', 'secondaryCauseMale', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'smoking', 'alcohol'], ['discuss', 'secondaryCause']],
    ['Z', 'below_expected_for_age', 41, 'female', { secondary: true }, ['calciumVitaminD', 'secondaryCause', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'smoking', 'alcohol'], ['discuss', 'secondaryCause']],
    ['Z', 'below_expected_for_age', 41, null, { secondary: true }, ['calciumVitaminD', 'secondaryCause', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'smoking', 'alcohol'], ['discuss', 'secondaryCause']],
    ['Z', 'within_expected_for_age', 41, 'female', {}, ['lifestyle'], ['calcium', 'vitaminD', 'exercise', 'smoking', 'alcohol'], []],
    ['Z', 'within_expected_for_age', 45, 'male', { vertebralFracture: true }, ['calciumVitaminD', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'smoking', 'alcohol'], ['discuss']],
    ['paediatric', 'below_expected_for_age', 15, 'female', { secondary: true }, ['calciumVitaminD', 'secondaryCause', 'lifestyle'], ['calcium', 'vitaminDSupplement', 'exercise', 'smoking', 'alcohol'], ['discuss', 'secondaryCause']],
    ['T', null, 60, 'female', {}, ['lifestyle'], ['calcium', 'vitaminD', 'exercise', 'fallPrevention', 'smoking', 'alcohol'], []],
  ] as const)('%s path, %s, age %s, %s %o → GP %o, patient %o, next %o', (path, category, age, sex, options, gp, patient, next) => {
    const advice = adviceFor(input(path, category, age, sex, options));
    expect(advice.gp).toEqual(gp);
    expect(advice.patient).toEqual(patient);
    expect(advice.next).toEqual(next);
  });

  it('fall prevention never under 50, in either letter', () => {
    for (const category of ['normal', 'osteopenia', 'osteoporosis', 'severe_osteoporosis'] as const) {
      for (const age of [20, 35, 49]) {
        const advice = adviceFor(input('T', category, age, 'female', { vertebralFracture: true }));
        expect(advice.gp).not.toContain('fallPrevention');
        expect(advice.patient).not.toContain('fallPrevention');
      }
    }
  });

  it('fragile: a counting fracture or a treatment indication, whatever the density', () => {
    expect(adviceFor(input('T', 'osteopenia', 79, 'male', { vertebralFracture: true })).fragile).toBe(true);
    expect(adviceFor(input('T', 'normal', 80, 'female', { history: [{ site: 'hip', ageAtFracture: 76, energy: 'low' }], birthDate: '1946-01-01' })).fragile).toBe(true);
    expect(adviceFor(input('T', 'osteopenia', 79, 'male')).fragile).toBe(false);
    expect(adviceFor(input('T', 'osteoporosis', 70, 'female')).fragile).toBe(true);
  });

  it('sex-specific advice only for that sex', () => {
    for (const sex of ['female', 'other', null] as const) {
      expect(adviceFor(input('Z', 'below_expected_for_age', 45, sex, { secondary: true })).gp).not.toContain('secondaryCauseMale');
    }
  });

  it('the two letters never contradict: a vitamin D supplement for the patient exactly when the GP is advised calcium and vitamin D', () => {
    for (const path of ['T', 'Z'] as const) {
      for (const category of ['normal', 'osteopenia', 'osteoporosis', 'below_expected_for_age', 'within_expected_for_age'] as const) {
        for (const vertebralFracture of [false, true]) {
          const advice = adviceFor(input(path, category, 60, 'female', { vertebralFracture }));
          expect(advice.patient.includes('vitaminDSupplement')).toBe(advice.gp.includes('calciumVitaminD'));
          expect(advice.next.includes('treatment')).toBe(advice.treatment !== null);
        }
      }
    }
  });
});

describe('treatment indication (clinical-rules §10.6)', () => {
  const hip = (ageAtFracture: number, energy: 'low' | 'high' = 'low'): FractureHistory[] => [{ site: 'hip', ageAtFracture, energy }];
  it.each([
    ['T', 'osteoporosis', {}, 'osteoporosis'],
    ['T', 'severe_osteoporosis', {}, 'osteoporosis'],
    ['T', 'osteopenia', {}, null],
    ['T', 'osteopenia', { vertebralFracture: true }, 'vertebralFracture'],
    ['T', 'normal', { history: hip(75) }, 'hipFractureFrom75'],
    ['T', 'normal', { history: hip(74) }, null],
    ['T', 'normal', { history: hip(80, 'high') }, null],
    ['Z', 'below_expected_for_age', { vertebralFracture: true }, null],
  ] as const)('%s path, %s, %o → %s', (path, category, options, expected) => {
    expect(treatmentIndication(input(path, category, 80, 'female', options))).toBe(expected);
  });
});
