import { z } from 'zod';
import { hasControlCharacters } from './control-characters.ts';
import { IsoDateSchema, UidSchema } from './study.ts';

/** Fracture sites a department can record. Face, skull, fingers, toes and cervical spine never count as fragility fractures. */
export const FRACTURE_SITES = [
  'vertebra', 'hip', 'femur', 'pelvis', 'wrist', 'forearm', 'humerus', 'elbow', 'clavicle', 'scapula', 'sternum', 'rib',
  'knee', 'tibia', 'fibula', 'ankle', 'foot', 'hand', 'other',
  'face', 'skull', 'finger', 'toe', 'cervical_spine',
] as const;
export const NON_FRAGILITY_SITES: ReadonlySet<string> = new Set(['face', 'skull', 'finger', 'toe', 'cervical_spine']);

export const FractureHistorySchema = z
  .object({
    site: z.enum(FRACTURE_SITES),
    date: IsoDateSchema.optional(),
    ageAtFracture: z.number().int().min(0).max(130).optional(),
    energy: z.enum(['low', 'high', 'unknown']),
    note: z.string().max(500).optional(),
  })
  .strict()
  .refine((fracture) => fracture.date !== undefined || fracture.ageAtFracture !== undefined, {
    message: 'give the fracture date or the age at the fracture',
  });
export type FractureHistory = z.infer<typeof FractureHistorySchema>;

export const MenopausalStatusSchema = z.enum(['pre', 'peri', 'post', 'unknown']);
export type MenopausalStatus = z.infer<typeof MenopausalStatusSchema>;

/** One line a letter prints: trimmed, not empty, and without a character that steers a reader instead of being shown. */
const printedLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !hasControlCharacters(text), { message: 'holds a control character (a line break, tab or direction mark) no letter may print' });

/** The Dutch AGB code of a GP (Vektis): eight digits. */
export const AgbCodeSchema = z.string().trim().regex(/^\d{8}$/, 'an AGB code is eight digits');

/**
 * The GP the letter goes to when the export names none (or the wrong one): the name as the letter
 * writes it (`B. van der Hoek`), the practice, the practice address and, when known, the AGB code.
 * The same rules for a sidecar and for the review page.
 */
export const GpAddresseeSchema = z
  .object({
    name: printedLine(200),
    practice: printedLine(200).optional(),
    address: z.array(printedLine(200)).max(6).default([]),
    agb: AgbCodeSchema.optional(),
  })
  .strict();
export type GpAddressee = z.infer<typeof GpAddresseeSchema>;

/**
 * A GP addressee as a stored result keeps it: the same fields, read back without judging them
 * again (a result stored before the printable-text rule still parses).
 */
export const StoredGpAddresseeSchema = z.object({
  name: z.string(),
  practice: z.string().optional(),
  address: z.array(z.string()).default([]),
  agb: z.string().optional(),
});

/**
 * What the scanner does not know: the clinical context of one study, from a sidecar
 * (`<export>.context.json`, `context.json` in the export's folder) or `--context FILE`.
 */
export const ClinicalContextSchema = z
  .object({
    studyInstanceUid: UidSchema.optional(),
    patientId: z.string().min(1).optional(),
    menopausalStatus: MenopausalStatusSchema.default('unknown'),
    fractureHistory: z.array(FractureHistorySchema).default([]),
    gp: GpAddresseeSchema.optional(),
  })
  .strict();
export type ClinicalContext = z.infer<typeof ClinicalContextSchema>;

export const EMPTY_CONTEXT: ClinicalContext = { menopausalStatus: 'unknown', fractureHistory: [] };

/**
 * Context entered on the review page: each field given replaces what a sidecar says of it (the
 * page shows both); a field left out is left to the sidecars.
 */
export const EnteredContextSchema = z
  .object({
    menopausalStatus: MenopausalStatusSchema.optional(),
    fractureHistory: z.array(FractureHistorySchema).max(20).optional(),
    gp: GpAddresseeSchema.optional(),
  })
  .strict();
export type EnteredContext = z.infer<typeof EnteredContextSchema>;

/** Who entered context on the review page, when, and why: kept with every entry. */
export const ContextEntrySchema = z.object({
  context: EnteredContextSchema,
  enteredBy: z.string(),
  enteredAt: z.string(),
  reason: z.string(),
});
export type ContextEntry = z.infer<typeof ContextEntrySchema>;

/** Where a value of the clinical context came from: the export's header, a sidecar file, or the review page. */
export const CONTEXT_SOURCES = ['scanner', 'sidecar', 'entered'] as const;
export const ContextSourceSchema = z.enum(CONTEXT_SOURCES);
export type ContextSource = z.infer<typeof ContextSourceSchema>;

function fieldProvenance<T extends z.ZodType>(value: T) {
  return z.object({
    source: ContextSourceSchema,
    /** the sidecar it was read from */
    file: z.string().optional(),
    /** what an entry on the page overruled (or a sidecar the scanner): never silently */
    overruled: z.object({ source: ContextSourceSchema, file: z.string().optional(), value }).optional(),
  });
}

export const ContextProvenanceSchema = z.object({
  /** the entry from the page this context used, when one did */
  entry: ContextEntrySchema.omit({ context: true }).optional(),
  menopausalStatus: fieldProvenance(MenopausalStatusSchema).optional(),
  fractureHistory: fieldProvenance(z.array(FractureHistorySchema)).optional(),
  gp: fieldProvenance(StoredGpAddresseeSchema).optional(),
});
/** For each field, where its value came from; a field nobody gave has none. */
export type ContextProvenance = z.infer<typeof ContextProvenanceSchema>;
export type ContextField = 'menopausalStatus' | 'fractureHistory' | 'gp';
export const CONTEXT_FIELDS: readonly ContextField[] = ['menopausalStatus', 'fractureHistory', 'gp'];
