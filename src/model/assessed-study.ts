import { z } from 'zod';
import { ClassificationSchema } from './classification.ts';
import { ClinicalContextSchema, ContextProvenanceSchema, StoredGpAddresseeSchema } from './clinical-context.ts';
import { ExtractedStudySchema } from './study.ts';

/**
 * A merged study with the clinical context it was classified with (and where that came from)
 * and its classification: what the letters are made from and what the store keeps per version.
 */
export const AssessedStudySchema = ExtractedStudySchema.extend({
  context: ClinicalContextSchema.extend({
    gp: StoredGpAddresseeSchema.optional(),
    sources: z.array(z.string()),
    /** where each value came from; absent in results stored before it was recorded */
    provenance: ContextProvenanceSchema.optional(),
  }),
  classification: ClassificationSchema,
});
export type AssessedStudy = z.infer<typeof AssessedStudySchema>;
