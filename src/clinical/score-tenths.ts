/**
 * Scores are compared in whole tenths. The rules use the value as exported with one decimal, and
 * binary floating point cannot be trusted at the cut-offs (−1.1 − (−1.0) is −0.10000000000000009).
 * A value exported with more decimals is first rounded half away from zero to one decimal.
 */
export function toTenths(score: number): number {
  return Math.sign(score) * Math.round(Math.abs(score) * 10 + 1e-9) + 0;
}

export function fromTenths(tenths: number): number {
  return tenths / 10 + 0;
}
