import type { Category } from '../model/classification.ts';
import { flag, type Flag } from '../model/flags.ts';

/** The scanner's own WHO words, in English or Dutch, as our T-path categories. */
const VENDOR_WORDS: [RegExp, Category][] = [
  [/osteopeni|low bone (mass|density)/i, 'osteopenia'],
  [/osteoporo/i, 'osteoporosis'],
  [/normal|normaal/i, 'normal'],
];

const SEVERITY: readonly Category[] = ['normal', 'osteopenia', 'osteoporosis'];

function vendorCategoryOf(text: string): Category | undefined {
  return VENDOR_WORDS.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * The scanner's classification of a study whose scans each carry their own (Hologic classifies
 * every report page): the most severe, as the WHO classification takes the lowest site. A text
 * that names no category wins, so the comparison says it could not be made rather than ignoring it.
 */
export function studyVendorCategory(perScan: readonly string[]): string | null {
  const texts = [...new Set(perScan)];
  const uncomparable = texts.find((text) => vendorCategoryOf(text) === undefined);
  if (uncomparable !== undefined) return uncomparable;
  const severity = (text: string): number => SEVERITY.indexOf(vendorCategoryOf(text) ?? 'normal');
  return texts.reduce<string | null>((worst, text) => (worst === null || severity(text) > severity(worst) ? text : worst), null);
}

/** VENDOR_CATEGORY_DIFFERS when the scanner's WHO text names another category than ours (§8). */
export function vendorCategoryFlag(vendorText: string | null, ours: Category | null): Flag | null {
  if (vendorText === null || ours === null) return null;
  const theirs = vendorCategoryOf(vendorText);
  // the scanner's words, as the letter quotes them: one line, at most 80 characters
  const scanner = vendorText.replace(/\s+/g, ' ').trim().slice(0, 80);
  if (theirs === undefined) {
    return flag('VENDOR_CATEGORY_DIFFERS', `the scanner's classification '${vendorText}' could not be compared`, undefined, { variant: 'uncomparable', details: { scanner } });
  }
  const comparable = ours === 'severe_osteoporosis' ? 'osteoporosis' : ours;
  if (theirs === comparable) return null;
  return flag('VENDOR_CATEGORY_DIFFERS', `the scanner says '${vendorText}', this service finds ${ours.replaceAll('_', ' ')}`, undefined, {
    variant: 'differs',
    details: { scanner, category: ours },
  });
}
