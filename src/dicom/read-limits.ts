import { z } from 'zod';

/**
 * How much work one file may cause, checked before anything is decoded. Real DXA SRs are tens of
 * kilobytes with a few hundred items and a content tree four levels deep; the defaults leave
 * room for far larger exports and still keep one file under 256 MB of heap.
 */
export const ReadLimitsSchema = z
  .object({
    /** the whole file */
    maxFileBytes: z.number().int().min(1024).max(1024 ** 3),
    /** one data element's value */
    maxElementBytes: z.number().int().min(1024).max(1024 ** 3),
    /** one text value (names, codes, the XML copy in ImageComments) before it is decoded */
    maxTextBytes: z.number().int().min(256).max(64 * 1024 ** 2),
    /** levels of the SR content tree */
    maxSrDepth: z.number().int().min(4).max(1000),
    /** data elements and sequence items in the file, counted together */
    maxItems: z.number().int().min(100).max(10_000_000),
  })
  .strict();

export type ReadLimits = z.infer<typeof ReadLimitsSchema>;

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxFileBytes: 64 * 1024 ** 2,
  maxElementBytes: 16 * 1024 ** 2,
  maxTextBytes: 1024 ** 2,
  maxSrDepth: 64,
  maxItems: 100_000,
};
