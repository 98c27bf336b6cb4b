import type { Category } from '../model/classification.ts';
import { flag, type Flag } from '../model/flags.ts';

/** The scanner's own WHO words, in English or Dutch, as our T-path categories. */
const VENDOR_WORDS: [RegExp, Category][] = [
  [/osteopeni|low bone (mass|density)/i, 'osteopenia'],
  [/osteoporo/i, 'osteoporosis'],
  [/normal|normaal/i, 'normal'],
];

/** VENDOR_CATEGORY_DIFFERS when the scanner's WHO text names another category than ours (§8). */
export function vendorCategoryFlag(vendorText: string | null, ours: Category | null): Flag | null {
  if (vendorText === null || ours === null) return null;
  const theirs = VENDOR_WORDS.find(([pattern]) => pattern.test(vendorText))?.[1];
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
