import { z } from 'zod';
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

/**
 * The GP the letter goes to when the export names none (or the wrong one): the name as the letter
 * writes it (`B. van der Hoek`) and the practice address.
 */
export const GpAddresseeSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    address: z.array(z.string().trim().min(1).max(200)).max(6).default([]),
  })
  .strict();
export type GpAddressee = z.infer<typeof GpAddresseeSchema>;

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
