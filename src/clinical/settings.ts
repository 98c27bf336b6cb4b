import { z } from 'zod';
import { DEFAULT_HOLDING_FLAGS, FLAG_CODES, type FlagCode } from '../model/flags.ts';

const ScannerSchema = z.object({ manufacturer: z.string().min(1), model: z.string().min(1) }).strict();

/** The configurable parts of the clinical rules, with the defaults of clinical-rules.md. */
export const ClinicalSettingsSchema = z
  .object({
    /** `review-all`: no letter leaves without a human (every study is held with REVIEW_ALL); `protocol`: only flagged studies are held */
    release: z.enum(['protocol', 'review-all']).default('protocol'),
    /** §8: which flags hold a study's letters for review */
    holdingFlags: z.array(z.enum(FLAG_CODES as [FlagCode, ...FlagCode[]])).default(DEFAULT_HOLDING_FLAGS),
    /** §6: the lowest Genant grade that counts as a fragility fracture */
    minimumCountingGrade: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
    /** §7: least significant change per region, g/cm² */
    lsc: z
      .object({
        spine: z.number().positive().max(0.5),
        total_hip: z.number().positive().max(0.5),
        femoral_neck: z.number().positive().max(0.5),
        radius: z.number().positive().max(0.5),
      })
      .strict()
      .default({ spine: 0.033, total_hip: 0.024, femoral_neck: 0.03, radius: 0.02 }),
    /** §7: scanner pairs a department has cross-calibrated, so their BMD may be compared */
    crossCalibrated: z
      .array(z.object({ scanners: z.tuple([ScannerSchema, ScannerSchema]) }).strict())
      .default([]),
  })
  .strict();
export type ClinicalSettings = z.infer<typeof ClinicalSettingsSchema>;

export const DEFAULT_CLINICAL_SETTINGS: ClinicalSettings = ClinicalSettingsSchema.parse({});
