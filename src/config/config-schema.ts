import { z } from 'zod';
import { CATEGORIES, type Category } from '../clinical/classification.ts';
import { ClinicalSettingsSchema } from '../clinical/settings.ts';
import { ReadLimitsSchema } from '../dicom/read-limits.ts';

export const LANGUAGES = ['nl', 'en'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

const text = z.string().trim().min(1);

/** Fields a letter file name may be built from: none of them is a patient name. */
export const FILE_NAME_FIELDS = ['studyDate', 'accession', 'studyUid', 'patientId', 'letter', 'language', 'version'] as const;

const FileNamePatternSchema = z
  .string()
  .min(1)
  .refine((pattern) => [...pattern.matchAll(/\{([^}]*)\}/g)].every((m) => (FILE_NAME_FIELDS as readonly string[]).includes(m[1] ?? '')), {
    message: `only these fields may appear in braces: ${FILE_NAME_FIELDS.join(', ')}`,
  })
  .refine((pattern) => pattern.includes('{letter}'), { message: 'must contain {letter}, or the two letters of a study would share a name' });

/** Years until the advised next measurement, per category; null: no routine repeat. */
const FollowUpSchema = z
  .object(Object.fromEntries(CATEGORIES.map((category) => [category, z.number().positive().max(15).nullable()])) as Record<Category, z.ZodNullable<z.ZodNumber>>)
  .strict();

export const DepartmentConfigSchema = z
  .object({
    language: LanguageSchema,
    department: z
      .object({
        name: text,
        hospital: text,
        address: z.array(text),
        phone: text,
        phoneHours: z.string().trim().nullable(),
        email: z.string().trim().email().nullable(),
        /** a PNG or JPEG, relative to the configuration file */
        logo: z.string().trim().nullable(),
      })
      .strict(),
    signature: z.object({ name: text, title: text }).strict(),
    followUpYears: FollowUpSchema,
    letters: z
      .object({
        fileNamePattern: FileNamePatternSchema,
        /** the patient letter's short appendix explaining T- and Z-scores */
        patientAppendix: z.boolean(),
      })
      .strict(),
    clinical: ClinicalSettingsSchema,
    /** the watcher: how long a file must stay unchanged before it is read, and how long a study must be quiet before it is (re)classified */
    watch: z.object({ settleSeconds: z.number().min(0.05).max(3600), quietSeconds: z.number().min(0).max(86_400) }).strict(),
    /** how much work one export may cause before it is refused (LIMIT_EXCEEDED) */
    limits: ReadLimitsSchema,
    /** a folder with `nl/` and `en/` template folders; relative to the configuration file */
    templatesDir: z.string().trim().nullable(),
  })
  .strict();

export type DepartmentConfig = z.infer<typeof DepartmentConfigSchema>;
