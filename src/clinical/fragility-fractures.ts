import { NON_FRAGILITY_SITES, type FractureHistory } from '../model/clinical-context.ts';
import type { FragilityFracture, VertebraAssessment } from '../model/classification.ts';
import { ageInYears } from './age.ts';

/**
 * Clinical-rules §6: the fractures that count towards severe osteoporosis. A VFA fracture of at
 * least the configured grade; a fracture from the history that was low-energy, at 50 or older,
 * and not of the face, skull, fingers, toes or cervical spine.
 */
export function fragilityFractures(
  vertebrae: VertebraAssessment[],
  history: FractureHistory[],
  birthDate: string | null,
  minimumGrade: 1 | 2 | 3,
): FragilityFracture[] {
  const fromVfa = vertebrae
    .filter((v) => v.grade !== null && v.grade >= minimumGrade)
    .map((v): FragilityFracture => ({ source: 'vfa', site: v.level, grade: v.grade, date: null }));
  const fromHistory = history
    .filter((fracture) => historyQualifies(fracture, birthDate))
    .map((fracture): FragilityFracture => ({ source: 'history', site: fracture.site, grade: null, date: fracture.date ?? null }));
  return [...fromVfa, ...fromHistory];
}

export function historyQualifies(fracture: FractureHistory, birthDate: string | null): boolean {
  if (fracture.energy !== 'low' || NON_FRAGILITY_SITES.has(fracture.site)) return false;
  const age = ageAtFracture(fracture, birthDate);
  return age !== null && age >= 50;
}

/** The patient's age when the fracture happened: as given, or from its date; null when neither says. */
export function ageAtFracture(fracture: FractureHistory, birthDate: string | null): number | null {
  return fracture.ageAtFracture ?? ageInYears(birthDate, fracture.date ?? null);
}
