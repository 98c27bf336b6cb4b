import { z } from 'zod';
import { CATEGORIES, type Category } from '../model/classification.ts';
import { ClinicalSettingsSchema } from '../clinical/settings.ts';
import { ReadLimitsSchema } from '../dicom/read-limits.ts';

import { LANGUAGES, LocalizedTextSchema, type Language } from './localized-text.ts';

export { LANGUAGES, type Language };
export const LanguageSchema = z.enum(LANGUAGES);

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

/** A permission mode as an octal string ('0600'); the owner (the service) keeps what it needs, and others may never write. */
const octalMode = (owner: number, needs: string) =>
  z
    .string({ error: "an octal mode in quotes, such as '0600'" })
    .regex(/^0?[0-7]{3}$/, "an octal mode in quotes, such as '0600'")
    .refine((mode) => (parseInt(mode, 8) & owner) === owner, { message: `the owner (the service) must keep ${needs}` })
    .refine((mode) => (parseInt(mode, 8) & 0o002) === 0, { message: 'others may not write' });

/** Years until the advised next measurement, per category; null: no routine repeat. */
const FollowUpSchema = z
  .object(Object.fromEntries(CATEGORIES.map((category) => [category, z.number().positive().max(15).nullable()])) as Record<Category, z.ZodNullable<z.ZodNumber>>)
  .strict();

export const DepartmentConfigSchema = z
  .object({
    language: LanguageSchema,
    department: z
      .object({
        /** these texts may be given once or per letter language (`{ nl: …, en: … }`) */
        name: LocalizedTextSchema,
        hospital: LocalizedTextSchema,
        address: z.array(text),
        phone: text,
        phoneHours: LocalizedTextSchema.nullable(),
        email: z.string().trim().email().nullable(),
        /** a PNG or JPEG, relative to the configuration file */
        logo: z.string().trim().nullable(),
      })
      .strict(),
    signature: z.object({ name: text, title: LocalizedTextSchema }).strict(),
    followUpYears: FollowUpSchema,
    letters: z
      .object({
        fileNamePattern: FileNamePatternSchema,
        /** the patient letter's short appendix explaining T- and Z-scores */
        patientAppendix: z.boolean(),
        /**
         * the regions the diagnosis did not use (spine ranges besides the one used, Ward's, trochanter,
         * the other hip and forearm sub-regions): a small list under the GP letter's table, or left out
         */
        otherRegions: z.enum(['list', 'omit']),
        /** the pictures in each letter; each is on unless a department switches it off */
        pictures: z
          .object({
            /** the T- or Z-score scale: after the result in the patient letter, in the GP letter's conclusion */
            scale: z.object({ patient: z.boolean().default(true), gp: z.boolean().default(true) }).strict().default({ patient: true, gp: true }),
          })
          .strict()
          .default({ scale: { patient: true, gp: true } }),
      })
      .strict(),
    clinical: ClinicalSettingsSchema,
    /**
     * practice addresses for the GP letter's address block: a referring physician found by name
     * (ReferringPhysicianName as exported, `Bakker^P.`, or as written, `P. Bakker`; case and spaces
     * ignored) or by a code the RIS writes as one component of that name (an AGB code)
     */
    referringPhysicians: z
      .array(
        z
          .object({ name: text.nullable().default(null), code: text.nullable().default(null), address: z.array(text).min(1) })
          .strict()
          .refine((entry) => entry.name !== null || entry.code !== null, { message: 'give a name or a code' }),
      )
      .default([]),
    /**
     * the watcher: how long a file must stay unchanged before it is read, how long a study must be
     * quiet before it is (re)classified, and how long an export that reads as incomplete is left
     * in the inbox, unchanged, before it is quarantined
     */
    watch: z.object({ settleSeconds: z.number().min(0.05).max(3600), quietSeconds: z.number().min(0).max(86_400), incompleteWaitSeconds: z.number().min(0).max(7 * 86_400) }).strict(),
    /** permissions of everything the service writes (store, letters, archive, quarantine): patient data, owner-only by default */
    files: z.object({ fileMode: octalMode(0o600, 'read and write'), folderMode: octalMode(0o700, 'read, write and search') }).strict(),
    /** how much work one export may cause before it is refused (LIMIT_EXCEEDED) */
    limits: ReadLimitsSchema,
    /** a folder with `nl/` and `en/` template folders; relative to the configuration file */
    templatesDir: z.string().trim().nullable(),
    /**
     * the outbox: where every released version is delivered besides out/letters (a folder per
     * destination, relative to the configuration file), and how often a failed delivery is tried
     * again (doubling from the first wait up to the longest) before it counts as failed
     */
    deliveries: z
      .object({
        destinations: z
          .array(z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore, at most 64'), folder: z.string().trim().min(1) }).strict())
          .refine((list) => new Set(list.map((d) => d.name)).size === list.length, { message: 'each destination needs its own name' }),
        maxAttempts: z.number().int().min(1).max(1000),
        firstRetrySeconds: z.number().min(0.01).max(86_400),
        maxRetrySeconds: z.number().min(0.01).max(7 * 86_400),
      })
      .strict(),
    /**
     * the store: a postgres:// URL for sites that run several instances on one database (null:
     * the embedded SQLite store given by --db); this instance's name among them; and the issuer
     * recorded for a patient ID the export gives none for (this site's own ID range)
     */
    /**
     * the review workstation: where it listens (127.0.0.1 unless the department opens it), the
     * path a reverse proxy serves it under, and the hospital's single sign-on: a header naming
     * the user, believed only from the proxy's own addresses
     */
    web: z
      .object({
        enabled: z.boolean(),
        host: z.string().trim().min(1),
        port: z.number().int().min(0).max(65_535),
        basePath: z.string().regex(/^\/([A-Za-z0-9._~-]+\/)*$/, "a path that starts and ends with '/', such as '/' or '/dexa/'"),
        language: LanguageSchema.nullable(),
        sessionMinutes: z.number().min(1).max(24 * 60),
        proxy: z.object({ userHeader: z.string().trim().regex(/^[A-Za-z0-9-]+$/, 'a header name').nullable(), trustedAddresses: z.array(z.string().trim().min(1)) }).strict(),
      })
      .strict(),
    store: z.object({ url: z.string().trim().regex(/^postgres(ql)?:\/\//i, 'a postgres:// URL').nullable(), instance: z.string().trim().max(64), localIssuer: z.string().trim().max(64) }).strict(),
  })
  .strict();

export type DepartmentConfig = z.infer<typeof DepartmentConfigSchema>;
