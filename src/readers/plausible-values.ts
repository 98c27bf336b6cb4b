import { ProblemCode, ReadError } from '../model/problems.ts';
import { quoteInput } from '../model/quote-input.ts';
import type { Measurement } from '../model/study.ts';

/**
 * The values a DXA measurement can have, shared by every reader that refuses the rest with
 * IMPLAUSIBLE_VALUE: a number outside these bounds is a damaged or misread value (a BMD in
 * mg/cm², a score that lost its decimal point), never a result to write a letter from.
 */

/**
 * The BMD range, in g/cm², a DXA region can have. Other parsers of the GE format divide a BMD
 * above 10 by 1000 (taking it for mg/cm²); a value outside this range is refused instead.
 */
export const PLAUSIBLE_BMD = { min: 0.1, max: 3 } as const;
/** No reference database gives a T- or Z-score beyond this: `-15` is a `-1.5` that lost its point. */
export const PLAUSIBLE_SCORE = 10;

export function isPlausibleBmd(value: number): boolean {
  return value >= PLAUSIBLE_BMD.min && value <= PLAUSIBLE_BMD.max;
}

export function isPlausibleScore(value: number): boolean {
  return Math.abs(value) <= PLAUSIBLE_SCORE;
}

/**
 * Every reader's measurements pass here before they become an instance: the readers that know
 * the item name a wrong value more precisely, this check makes sure none gets through any reader.
 */
export function requirePlausible(measurements: readonly Measurement[]): void {
  for (const m of measurements) {
    const where = `${m.region}${m.side ? ` ${m.side}` : ''} (scan ${quoteInput(m.source.scan)}, ${quoteInput(m.source.roi)})`;
    if (m.bmd !== null && !isPlausibleBmd(m.bmd)) {
      throw new ReadError(ProblemCode.IMPLAUSIBLE_VALUE, `the BMD of ${where} is ${m.bmd}, outside ${PLAUSIBLE_BMD.min}–${PLAUSIBLE_BMD.max} g/cm²`);
    }
    for (const [name, score] of [['T-score', m.tScore], ['Z-score', m.zScore]] as const) {
      if (score !== null && !isPlausibleScore(score)) throw new ReadError(ProblemCode.IMPLAUSIBLE_VALUE, `the ${name} of ${where} is ${score}, beyond ±${PLAUSIBLE_SCORE}`);
    }
  }
}
