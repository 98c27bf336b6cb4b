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
