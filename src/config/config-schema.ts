import { z } from 'zod';
import { CATEGORIES, type Category } from '../model/classification.ts';
import { ClinicalSettingsSchema } from '../clinical/settings.ts';
import { ReadLimitsSchema } from '../dicom/read-limits.ts';

import { LANGUAGES, LocalizedTextSchema, type Language } from './localized-text.ts';

export { LANGUAGES, type Language };
export const LanguageSchema = z.enum(LANGUAGES);

const text = z.string().trim().min(1);

/** A DICOM application entity title: 1 to 16 characters of printable ASCII, no backslash, not only spaces. */
const AE_TITLE = z
  .string()
  .regex(/^[\x20-\x5b\x5d-\x7e]{1,16}$/, 'an AE title: 1 to 16 printable ASCII characters, no backslash')
  .refine((title) => title.trim().length > 0, { message: 'an AE title may not be only spaces' })
  .transform((title) => title.trim());

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

/** An HL7 v2 HD namespace ID: no HL7 delimiter, no control character, at most 20 characters as v2.5 advises. */
const hl7Name = z.string().trim().max(20).regex(/^[^|^~\\&\u0000-\u001f]*$/, 'no HL7 delimiter (| ^ ~ \\ &) or control character');

/** Years until the advised next measurement, per category; null: no routine repeat. */
const FollowUpSchema = z
  .object(Object.fromEntries(CATEGORIES.map((category) => [category, z.number().positive().max(15).nullable()])) as Record<Category, z.ZodNullable<z.ZodNumber>>)
  .strict();

const destinationName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore, at most 64');
/** An AE title: 1 to 16 characters of the DICOM default repertoire, no backslash, not only spaces. */
const aeTitle = z.string().regex(/^(?! *$)[\x20-\x5b\x5d-\x7e]{1,16}$/, 'an AE title: 1 to 16 printable characters, no backslash');

/** A folder destination (the kind may be left out): the letters and a sidecar, written into a folder, relative to the configuration file. */
export const FolderDestinationSchema = z.object({ name: destinationName, kind: z.literal('folder').optional(), folder: z.string().trim().min(1) }).strict();

/**
 * A PACS (a DICOM storage SCP): the GP letter as an Encapsulated PDF and the result as a DXA
 * profile SR, stored (C-STORE) in the study; `callingAeTitle` is this service's own AE title.
 */
export const DicomDestinationSchema = z
  .object({
    name: destinationName,
    kind: z.literal('dicom'),
    aeTitle,
    host: z.string().trim().min(1),
    port: z.number().int().min(1).max(65_535),
    callingAeTitle: aeTitle.default('DEXA_REPORT'),
    /** how long connecting, the association and each answer may take before the attempt fails */
    timeoutSeconds: z.number().min(0.1).max(3600).default(30),
  })
  .strict();

/** Letters an HL7 result may embed as PDF; each once. */
const embeddedLetters = z.array(z.enum(['gp', 'patient'])).refine((list) => new Set(list).size === list.length, { message: 'each letter once' });

/**
 * The hospital's HL7 v2 receiver (its record or integration engine), over MLLP: the result as an
 * ORU^R01 (results/hl7-oru.ts), delivered when it answers AA (or CA); `embed` chooses the letters
 * embedded as PDF for this receiver (by default `hospital.embedPdfs`).
 */
export const Hl7DestinationSchema = z
  .object({
    name: destinationName,
    kind: z.literal('hl7'),
    host: z.string().trim().min(1),
    port: z.number().int().min(1).max(65_535),
    /** how long connecting, and then waiting for the ACK, may each take before the attempt fails */
    timeoutSeconds: z.number().min(0.1).max(3600).default(30),
    embed: embeddedLetters.optional(),
  })
  .strict();

/** The name of an environment variable: letters, digits and underscore, not starting with a digit. */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name (letters, digits, underscore)');

/**
 * A FHIR R4 server: the result as a transaction Bundle (results/fhir-bundle.ts), POSTed to
 * `baseUrl`. A bearer token is given in the file (`bearerToken`) or, better, named by the
 * environment variable that holds it (`bearerTokenEnv`), read at every try; not both.
 */
export const FhirDestinationSchema = z
  .object({
    name: destinationName,
    kind: z.literal('fhir'),
    baseUrl: z.string().trim().regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
    bearerToken: z.string().trim().min(1).optional(),
    bearerTokenEnv: envName.optional(),
    /** how long the server may take to answer before the attempt fails */
    timeoutSeconds: z.number().min(0.1).max(3600).default(30),
  })
  .strict()
  .refine((destination) => destination.bearerToken === undefined || destination.bearerTokenEnv === undefined, { message: 'give bearerToken or bearerTokenEnv, not both' });

/** Where released versions go, by kind: a folder, a PACS, an HL7 v2 receiver or a FHIR server. */
export const DestinationSchema = z.discriminatedUnion('kind', [FolderDestinationSchema, DicomDestinationSchema, Hl7DestinationSchema, FhirDestinationSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? "'folder' (or left out) for a folder, 'dicom' for a PACS, 'hl7' for an HL7 v2 receiver (MLLP) or 'fhir' for a FHIR server" : undefined),
});
export type Destination = z.infer<typeof DestinationSchema>;
export type FolderDestination = z.infer<typeof FolderDestinationSchema>;
export type DicomDestination = z.infer<typeof DicomDestinationSchema>;
export type Hl7Destination = z.infer<typeof Hl7DestinationSchema>;
export type FhirDestination = z.infer<typeof FhirDestinationSchema>;

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
            /** the BMD trend over the earlier studies on the same scanner type: in the GP letter, after the comparison */
            trend: z.object({ gp: z.boolean().default(true) }).strict().default({ gp: true }),
          })
          .strict()
          .default({ scale: { patient: true, gp: true }, trend: { gp: true } }),
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
     * the outbox: where every released version is delivered besides out/letters (a folder, relative
     * to the configuration file, or a PACS: see DestinationSchema), and how often a failed delivery is tried
     * again (doubling from the first wait up to the longest) before it counts as failed
     */
    deliveries: z
      .object({
        destinations: z
          .array(DestinationSchema)
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
    /**
     * the DICOM receiver (C-ECHO and C-STORE SCP) that `dexa watch` starts when enabled (and
     * `dexa receive` alone): its own AE title, where it listens (127.0.0.1 unless the department
     * opens it), the callers it answers (an AE title, optionally only from given addresses), how
     * many associations it holds at once, its timeouts, and TLS (files relative to the configuration file)
     */
    dicom: z
      .object({
        enabled: z.boolean(),
        aeTitle: AE_TITLE,
        host: z.string().trim().min(1),
        port: z.number().int().min(0).max(65_535),
        allowedCallers: z.array(z.union([AE_TITLE, z.object({ aeTitle: AE_TITLE, addresses: z.array(z.string().trim().min(1)).min(1).nullable().default(null) }).strict()])),
        maxAssociations: z.number().int().min(1).max(1000),
        /** a connection that sends no association request within this is closed */
        associationTimeoutSeconds: z.number().min(1).max(3600),
        /** an association that sends nothing for this long is aborted */
        idleTimeoutSeconds: z.number().min(1).max(86_400),
        /** the largest object accepted; a larger one is refused (its association aborted) */
        maxObjectMegabytes: z.number().min(1).max(16_384),
        tls: z.object({ key: z.string().trim().min(1), cert: z.string().trim().min(1), ca: z.string().trim().min(1).nullable().default(null), requireClientCertificate: z.boolean().default(false) }).strict().nullable(),
      })
      .strict(),
    store: z.object({ url: z.string().trim().regex(/^postgres(ql)?:\/\//i, 'a postgres:// URL').nullable(), instance: z.string().trim().max(64), localIssuer: z.string().trim().max(64) }).strict(),
    /**
     * the hospital's record (HL7 v2 ORU^R01, FHIR R4): who this service is and who receives in MSH
     * (application and facility, HD namespace IDs), which letters an HL7 result embeds as PDF, and
     * the URN under which every FHIR identifier this department makes is minted (results,
     * observations); a patient ID's system is `patientIdSystem` when given, else made from its issuer
     */
    hospital: z
      .object({
        sendingApplication: hl7Name,
        sendingFacility: hl7Name,
        receivingApplication: hl7Name,
        receivingFacility: hl7Name,
        embedPdfs: embeddedLetters,
        // names are made under it (`…:observation`, `…/observation`): an OID or UUID URN cannot take them
        identifierSystem: z
          .string()
          .trim()
          .regex(/^(urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+|https?:\/\/\S+)$/, 'a URN (urn:…) or an http(s) URL')
          .refine((system) => !/^urn:(oid|uuid):/i.test(system), { message: 'names are made under it: give a URL or a urn:<namespace>:… URN, not an OID or UUID' }),
        patientIdSystem: z.string().trim().regex(/^(urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+|https?:\/\/\S+)$/, 'a URN (urn:…) or an http(s) URL').nullable(),
      })
      .strict(),
  })
  .strict();

export type DepartmentConfig = z.infer<typeof DepartmentConfigSchema>;
