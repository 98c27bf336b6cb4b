import { z } from 'zod';

const percent = z.number().finite().min(0).max(100);

/** One 10-year fracture probability in percent, as the scanner reports it without and with a prior fracture. */
export const ScannerFraxRiskSchema = z.object({
  withoutPriorFracture: percent.nullable(),
  withPriorFracture: percent.nullable(),
});
export type ScannerFraxRisk = z.infer<typeof ScannerFraxRiskSchema>;

/**
 * FRAX as the scanner calculated it (Hologic table type 8): the 10-year probabilities of a major
 * osteoporotic fracture and of a hip fracture with the risk factors it used, or the reason it gives
 * for not reporting them. Shown to the GP for information only: the classification never reads it.
 */
export const ScannerFraxSchema = z.discriminatedUnion('reported', [
  z.object({
    reported: z.literal(true),
    majorOsteoporotic: ScannerFraxRiskSchema,
    hip: ScannerFraxRiskSchema,
    /** the scanner's free text (it may hold HTML such as `<br>`); null when it gives none */
    riskFactors: z.string().nullable(),
  }),
  z.object({
    reported: z.literal(false),
    /** the scanner's free text after "FRAX not reported because:" */
    reason: z.string(),
  }),
]);
export type ScannerFrax = z.infer<typeof ScannerFraxSchema>;

/**
 * The scanner's free text as one printable line: `<br>` becomes `; `, other tags go, runs of
 * white space become one space. Control characters are kept, so the letters' safety check
 * (clinical/unprintable-text.ts) still sees them and holds the letter.
 */
export function fraxPlainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '; ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*;\s*(;\s*)*/g, '; ')
    .replace(/^[;\s]+|[;\s]+$/g, '');
}
