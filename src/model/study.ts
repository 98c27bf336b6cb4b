import { z } from 'zod';
import { ScannerFraxSchema } from './frax.ts';
import { ProblemSchema } from './problems.ts';
import { RegionSchema, SideSchema } from './regions.ts';

/** A calendar date as `YYYY-MM-DD`; kept as text so no time zone can shift it. */
export const IsoDateSchema = z.iso.date();
export const UidSchema = z.string().regex(/^[0-9]+(\.[0-9]+)*$/, 'not a DICOM UID').max(64);

export const PersonNameSchema = z.object({
  family: z.string(),
  given: z.string(),
  middle: z.string(),
  prefix: z.string(),
  suffix: z.string(),
});
export type PersonName = z.infer<typeof PersonNameSchema>;

export const PatientSchema = z.object({
  id: z.string().nullable(),
  issuer: z.string().nullable(),
  name: PersonNameSchema.nullable(),
  birthDate: IsoDateSchema.nullable(),
  sex: z.enum(['female', 'male', 'other']).nullable(),
  /** PatientAddress (0010,1040) as the export writes it; absent in studies stored before it was read */
  address: z.string().nullable().optional(),
});
export type Patient = z.infer<typeof PatientSchema>;

export const StudySchema = z.object({
  studyInstanceUid: UidSchema,
  studyDate: IsoDateSchema.nullable(),
  accessionNumber: z.string().nullable(),
  description: z.string().nullable(),
  institution: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  deviceSerialNumber: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  referenceDatabase: z.string().nullable(),
  /** the scanner's own WHO classification text, when the export carries one */
  vendorCategory: z.string().nullable(),
  /** ReferringPhysicianName (0008,0090), the GP the letter goes to; absent in studies stored before it was read */
  referringPhysician: PersonNameSchema.nullable().optional(),
});
export type Study = z.infer<typeof StudySchema>;

/** Where a value came from in the export, so a reviewer can find it on the scanner. */
export const SourceSchema = z.object({
  sopInstanceUid: UidSchema,
  scan: z.string(),
  roi: z.string(),
});
export type Source = z.infer<typeof SourceSchema>;

const finite = z.number().finite();

export const MeasurementSchema = z.object({
  region: RegionSchema,
  side: SideSchema,
  bmd: finite.nullable(),
  bmc: finite.nullable(),
  areaCm2: finite.nullable(),
  tScore: finite.nullable(),
  zScore: finite.nullable(),
  youngAdultPercent: finite.nullable(),
  ageMatchedPercent: finite.nullable(),
  source: SourceSchema,
});
export type Measurement = z.infer<typeof MeasurementSchema>;

/** A left–right difference row (GE `… Diff.`): never a measurement, kept for the record. */
export const SideDifferenceSchema = z.object({
  region: RegionSchema,
  bmd: finite.nullable(),
  tScore: finite.nullable(),
  zScore: finite.nullable(),
  source: SourceSchema,
});
export type SideDifference = z.infer<typeof SideDifferenceSchema>;

export const VFA_LEVELS = ['T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4'] as const;
export const VfaLevelSchema = z.enum(VFA_LEVELS);
export type VfaLevel = z.infer<typeof VfaLevelSchema>;

const heightMm = z.number().positive().finite().nullable();

export const VfaVertebraSchema = z.object({
  level: VfaLevelSchema,
  evaluable: z.boolean(),
  anteriorMm: heightMm,
  middleMm: heightMm,
  posteriorMm: heightMm,
  readerGrade: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).nullable(),
});
export type VfaVertebra = z.infer<typeof VfaVertebraSchema>;

/**
 * The readers of readers/reader-registry.ts, which is typed by this list: every id has exactly one
 * reader, and the id recorded for an instance is the id of the reader that read it.
 */
export const READER_IDS = ['ge-lunar-enhanced-sr', 'dexa-profile-sr', 'hologic-apex'] as const;
export const ReaderIdSchema = z.enum(READER_IDS);
export type ReaderId = z.infer<typeof ReaderIdSchema>;

export const InstanceSchema = z.object({
  sopInstanceUid: UidSchema,
  seriesInstanceUid: UidSchema.nullable(),
  instanceNumber: z.number().int().nullable(),
  sopClassUid: UidSchema,
  reader: ReaderIdSchema,
  file: z.string(),
});
export type Instance = z.infer<typeof InstanceSchema>;

/**
 * What an export says of the patient's clinical context (Hologic PatInfo), as written: judged once
 * for the study at the merge (clinical/scanner-menopause.ts), never by the reader.
 */
export const ScannerContextSchema = z.object({
  /** PatInfo MenopauseAge in years; null when the export leaves it empty */
  menopauseAge: finite.nullable(),
  /** the export's own birth date and scan date (Hologic PatInfo DOB, ScanInfo Scan), which give the patient's age at the scan, not its Age */
  birthDate: IsoDateSchema,
  scanDate: IsoDateSchema,
});
export type ScannerContext = z.infer<typeof ScannerContextSchema>;

/** The scanner's context for a study: the one menopause age its instances agree on, and the status it gives (none when it cannot be used). */
export const StudyScannerContextSchema = z.object({
  menopauseAge: finite,
  /** whole years between the export's birth date and scan date; null when the birth date is after the scan */
  ageAtScan: z.number().int().nullable(),
  /** post when the age at menopause is plausible and below the patient's age at the scan; else null, with a warning saying why */
  menopausalStatus: z.literal('post').nullable(),
});
export type StudyScannerContext = z.infer<typeof StudyScannerContextSchema>;

/** What one reader makes of one file. */
export const InstanceExtractionSchema = z.object({
  patient: PatientSchema,
  study: StudySchema,
  instance: InstanceSchema,
  measurements: z.array(MeasurementSchema),
  sideDifferences: z.array(SideDifferenceSchema),
  vfa: z.array(VfaVertebraSchema),
  /** FRAX as the scanner reported it; absent when the export carries none, and in results stored before it was read */
  frax: ScannerFraxSchema.optional(),
  /** the export's clinical context; absent when the export has none to give, and in results stored before it was read */
  scannerContext: ScannerContextSchema.optional(),
  warnings: z.array(ProblemSchema),
});
export type InstanceExtraction = z.infer<typeof InstanceExtractionSchema>;

/** The canonical study: every instance of one StudyInstanceUID merged. Nothing downstream reads DICOM. */
export const ExtractedStudySchema = z.object({
  patient: PatientSchema,
  study: StudySchema,
  instances: z.array(InstanceSchema),
  measurements: z.array(MeasurementSchema),
  sideDifferences: z.array(SideDifferenceSchema),
  vfa: z.array(VfaVertebraSchema),
  /** one FRAX per study, from whichever instance carries it; absent in results stored before it was read */
  frax: ScannerFraxSchema.optional(),
  /** the scanner's menopause age when its instances give one and agree; absent otherwise, and in results stored before it was read */
  scannerContext: StudyScannerContextSchema.optional(),
  errors: z.array(ProblemSchema),
  warnings: z.array(ProblemSchema),
});
export type ExtractedStudy = z.infer<typeof ExtractedStudySchema>;
