/** Whole years between two ISO dates (clinical-rules §1): a birthday on the study day counts. */
export function ageInYears(birthDate: string | null, onDate: string | null): number | null {
  if (birthDate === null || onDate === null) return null;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age >= 0 ? age : null;
}
