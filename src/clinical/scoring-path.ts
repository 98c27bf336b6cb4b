import type { MenopausalStatus } from '../model/clinical-context.ts';
import type { Patient } from '../model/study.ts';
import type { ScoringPath } from '../model/classification.ts';
import { flag, type Flag } from '../model/flags.ts';

export interface PathChoice {
  path: ScoringPath;
  flags: Flag[];
}

/**
 * Clinical-rules §4. Where sex or age is unknown the study is held anyway (§8); the path then
 * follows what is known, treating an unknown age as adult and an unrecorded sex like a woman
 * of unknown menopausal status.
 */
export function chooseScoringPath(sex: Patient['sex'], age: number | null, menopause: MenopausalStatus): PathChoice {
  if (age !== null && age < 20) {
    return { path: 'paediatric', flags: [flag('PAEDIATRIC', `patient is ${age}: under 20, Z-scores only`)] };
  }
  const adultAge = age ?? 50;
  if (sex === 'male') return { path: adultAge >= 50 ? 'T' : 'Z', flags: [] };
  if (sex === 'female') {
    if (menopause === 'post' || menopause === 'peri') return { path: 'T', flags: [] };
    if (menopause === 'pre') return { path: 'Z', flags: [] };
  }
  const path = adultAge >= 50 ? 'T' : 'Z';
  return {
    path,
    flags:
      sex === 'female'
        ? [flag('MENOPAUSE_UNKNOWN', `menopausal status unknown; ${path}-scores used because the patient is ${adultAge >= 50 ? '50 or older' : 'under 50'}`)]
        : [],
  };
}
