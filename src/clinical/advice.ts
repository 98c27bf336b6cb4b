import type { Category, Classification } from '../model/classification.ts';
import { treatmentIndication, type TreatmentIndication, type TreatmentInput } from './treatment-indication.ts';

/** Advice to the GP, each worded by templates/<language>/gp.yaml `advice.<id>`. */
export const GP_ADVICE_IDS = [
  'treatment', 'treatmentAfterFracture', 'treatmentAfterHipFracture', 'calciumVitaminD', 'fallPrevention', 'secondaryCause', 'secondaryCauseMale', 'lifestyle',
] as const;
export type GpAdviceId = (typeof GP_ADVICE_IDS)[number];

/** What the patient can do, each worded by templates/<language>/patient.yaml `lifestyle.<id>`. */
export const PATIENT_ADVICE_IDS = ['calcium', 'vitaminD', 'vitaminDSupplement', 'exercise', 'fallPrevention', 'smoking', 'alcohol'] as const;
export type PatientAdviceId = (typeof PATIENT_ADVICE_IDS)[number];

/** What happens next, in the patient's letter: templates/<language>/patient.yaml `next.<id>`. */
export const NEXT_STEP_IDS = ['treatment', 'discuss', 'secondaryCause'] as const;
export type NextStepId = (typeof NEXT_STEP_IDS)[number];

export interface Advice {
  treatment: TreatmentIndication;
  /** a fragility fracture counts or treatment is indicated: no letter may call the bones strong enough */
  fragile: boolean;
  gp: GpAdviceId[];
  patient: PatientAdviceId[];
  next: NextStepId[];
}

export interface AdviceInput extends TreatmentInput {
  classification: Pick<Classification, 'path' | 'category' | 'age' | 'flags' | 'fragilityFractures'>;
  sex: 'female' | 'male' | 'other' | null;
}

/** Below what is expected: the categories after which calcium and vitamin D are advised. */
const LOW_BONE: ReadonlySet<Category> = new Set(['osteopenia', 'osteoporosis', 'severe_osteoporosis', 'below_expected_for_age']);

/** Fall prevention is advised from this age only (clinical-rules §10.8) … */
export const FALL_PREVENTION_FROM_AGE = 50;
/** … and from this age whatever the result. */
export const FALL_PREVENTION_ALWAYS_FROM_AGE = 70;

/**
 * Clinical-rules §9 and §10.6–§10.8: the advice of both letters of one study, as ids, by category,
 * path, age and sex. Both letters are worded from this one choice, so one never contradicts the other:
 * - treatment: the treatment indication (§10.6) and its reason;
 * - calcium and vitamin D as a supplement: after a low result, a vertebral fracture, or with a treatment indication; the
 *   patient is then told to take the vitamin D tablet, otherwise who should take one;
 * - fall prevention only from 50 (an unknown age counts as an adult's); to the GP after a low result,
 *   with a treatment indication, or from 70;
 * - the secondary-cause work-up after a diagnostic Z ≤ −2.0; testosterone only in a man's letter.
 */
export function adviceFor(input: AdviceInput): Advice {
  const c = input.classification;
  const treatment = treatmentIndication(input);
  const lowBone = c.category !== null && LOW_BONE.has(c.category);
  // a vertebral fracture on the Z path gives no treatment indication, but still calcium and vitamin D
  const vertebralFracture = c.fragilityFractures.some((f) => f.source === 'vfa');
  const supplement = lowBone || vertebralFracture || treatment !== null;
  const age = c.age;
  const fallAge = age === null || age >= FALL_PREVENTION_FROM_AGE;
  const secondary = c.flags.some((f) => f.code === 'SECONDARY_CAUSE_WORKUP');

  const gp: GpAdviceId[] = [];
  if (treatment === 'osteoporosis') gp.push('treatment');
  else if (treatment === 'vertebralFracture') gp.push('treatmentAfterFracture');
  else if (treatment === 'hipFractureFrom75') gp.push('treatmentAfterHipFracture');
  if (supplement) gp.push('calciumVitaminD');
  if (fallAge && (supplement || (age !== null && age >= FALL_PREVENTION_ALWAYS_FROM_AGE))) gp.push('fallPrevention');
  if (secondary) gp.push(input.sex === 'male' ? 'secondaryCauseMale' : 'secondaryCause');
  gp.push('lifestyle');

  const patient: PatientAdviceId[] = ['calcium', supplement ? 'vitaminDSupplement' : 'vitaminD', 'exercise'];
  if (fallAge) patient.push('fallPrevention');
  patient.push('smoking', 'alcohol');

  const next: NextStepId[] = [];
  if (treatment !== null) next.push('treatment');
  else if (lowBone || vertebralFracture) next.push('discuss');
  if (secondary) next.push('secondaryCause');

  return { treatment, fragile: treatment !== null || c.fragilityFractures.length > 0, gp, patient, next };
}
