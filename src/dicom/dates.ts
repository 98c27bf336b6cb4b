/** A DICOM DA value (`YYYYMMDD`, or the old `YYYY.MM.DD`) as `YYYY-MM-DD`, or null when it is not a real date. */
export function dicomDateToIso(value: string | null): string | null {
  if (value === null) return null;
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const valid =
    date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
  return valid ? `${year}-${month}-${day}` : null;
}
