import type { FractureHistory } from '../model/clinical-context.ts';
import type { Classification } from '../model/classification.ts';
import { ageAtFracture, historyQualifies } from './fragility-fractures.ts';

/** Why drug treatment to prevent fractures is indicated (clinical-rules §10.6), or null when it is not. */
export type TreatmentIndication = 'osteoporosis' | 'vertebralFracture' | 'hipFractureFrom75' | null;

export interface TreatmentInput {
  classification: Pick<Classification, 'path' | 'category' | 'fragilityFractures'>;
  fractureHistory: FractureHistory[];
  birthDate: string | null;
}

/**
 * Clinical-rules §10.6 (NHG 2022): an index T ≤ −2.5 on the T path (the category says so); else a
 * qualifying vertebral fracture (§6), whatever the T-score; else a low-energy hip fracture at 75 or
 * older. On the Z and paediatric paths there is no automatic indication.
 */
export function treatmentIndication({ classification: c, fractureHistory, birthDate }: TreatmentInput): TreatmentIndication {
  if (c.path !== 'T') return null;
  if (c.category === 'osteoporosis' || c.category === 'severe_osteoporosis') return 'osteoporosis';
  if (c.fragilityFractures.some((f) => f.source === 'vfa')) return 'vertebralFracture';
  const hipFrom75 = fractureHistory.some((f) => {
    if (f.site !== 'hip' || !historyQualifies(f, birthDate)) return false;
    const age = ageAtFracture(f, birthDate);
    return age !== null && age >= 75;
  });
  return hipFrom75 ? 'hipFractureFrom75' : null;
}
