import { z } from 'zod';
import { RegionSchema, SideSchema } from './regions.ts';
import { VfaLevelSchema } from './study.ts';
import { FLAG_CODES, type FlagCode } from './flags.ts';

export const CATEGORIES = [
  'normal', 'osteopenia', 'osteoporosis', 'severe_osteoporosis', 'below_expected_for_age', 'within_expected_for_age',
] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export const ScoringPathSchema = z.enum(['T', 'Z', 'paediatric']);
export type ScoringPath = z.infer<typeof ScoringPathSchema>;

const GradeSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);

export const VertebraAssessmentSchema = z.object({
  level: VfaLevelSchema,
  evaluable: z.boolean(),
  readerGrade: GradeSchema.nullable(),
  computedGrade: GradeSchema.nullable(),
  /** the grade that counts: the reader's when given, else the computed one */
  grade: GradeSchema.nullable(),
  reductionPercent: z.number().nullable(),
  shape: z.enum(['wedge', 'biconcave', 'crush']).nullable(),
});
export type VertebraAssessment = z.infer<typeof VertebraAssessmentSchema>;

export const FragilityFractureSchema = z.object({
  source: z.enum(['vfa', 'history']),
  site: z.string(),
  grade: GradeSchema.nullable(),
  date: z.string().nullable(),
});
export type FragilityFracture = z.infer<typeof FragilityFractureSchema>;

export const DiagnosticValueSchema = z.object({
  region: RegionSchema,
  side: SideSchema,
  score: z.number(),
});
export type DiagnosticValue = z.infer<typeof DiagnosticValueSchema>;

export const ComparisonSchema = z.object({
  priorStudyInstanceUid: z.string(),
  priorDate: z.string(),
  priorCategory: CategorySchema.nullable(),
  quantitative: z.boolean(),
  rows: z.array(
    z.object({
      region: RegionSchema,
      side: SideSchema,
      priorBmd: z.number(),
      currentBmd: z.number(),
      deltaBmd: z.number(),
      deltaPercent: z.number(),
      lsc: z.number(),
      significant: z.boolean(),
    }),
  ),
});

/** The change from the value before, §7: significant only when |Δ| reaches the region's LSC. */
export const BmdChangeSchema = z.object({
  deltaBmd: z.number(),
  deltaPercent: z.number(),
  significant: z.boolean(),
});
export type BmdChange = z.infer<typeof BmdChangeSchema>;

export const TrendSeriesSchema = z.object({
  region: RegionSchema,
  side: SideSchema,
  lsc: z.number(),
  /** oldest first; the last is this study */
  points: z
    .array(z.object({ studyInstanceUid: z.string(), date: z.string(), bmd: z.number(), change: BmdChangeSchema.nullable() }))
    .min(2),
});
export type TrendSeries = z.infer<typeof TrendSeriesSchema>;

/** §7 over time: the diagnostic regions' BMD in this study and the comparable earlier ones. */
export const TrendSchema = z.object({ series: z.array(TrendSeriesSchema).min(1) });
export type Trend = z.infer<typeof TrendSchema>;

export const ClassificationSchema = z.object({
  category: CategorySchema.nullable(),
  path: ScoringPathSchema,
  age: z.number().int().nullable(),
  indexRegion: RegionSchema.nullable(),
  indexSide: SideSchema,
  indexScore: z.number().nullable(),
  nhgBinary: z.enum(['osteoporose', 'geen_osteoporose']).nullable(),
  diagnosticValues: z.array(DiagnosticValueSchema),
  vertebrae: z.array(VertebraAssessmentSchema),
  vertebralFractures: z.array(VertebraAssessmentSchema),
  fragilityFractures: z.array(FragilityFractureSchema),
  flags: z.array(
    z.object({
      code: z.enum(FLAG_CODES as [FlagCode, ...FlagCode[]]),
      severity: z.enum(['review', 'info']),
      message: z.string(),
      subject: z.string().optional(),
      variant: z.string().optional(),
      details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
  /** clinical-rules §7, when a prior study of the patient is known */
  comparison: ComparisonSchema.nullable(),
  /** the BMD over this and the earlier studies on the same scanner type; null when there is none */
  trend: TrendSchema.nullable().default(null),
  /** the flags that hold the letters for review (§8, as configured when classified) */
  holdingFlags: z.array(z.enum(FLAG_CODES as [FlagCode, ...FlagCode[]])),
  releasable: z.boolean(),
});
export type Classification = z.infer<typeof ClassificationSchema>;
