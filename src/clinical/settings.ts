import { z } from 'zod';
import { DEFAULT_HOLDING_FLAGS, FLAG_CODES, type FlagCode } from './flags.ts';

/** The configurable parts of the clinical rules, with the defaults of clinical-rules.md. */
export const ClinicalSettingsSchema = z
  .object({
    /** §8: which flags hold a study's letters for review */
    holdingFlags: z.array(z.enum(FLAG_CODES as [FlagCode, ...FlagCode[]])).default(DEFAULT_HOLDING_FLAGS),
    /** §6: the lowest Genant grade that counts as a fragility fracture */
    minimumCountingGrade: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  })
  .strict();
export type ClinicalSettings = z.infer<typeof ClinicalSettingsSchema>;

export const DEFAULT_CLINICAL_SETTINGS: ClinicalSettings = ClinicalSettingsSchema.parse({});
