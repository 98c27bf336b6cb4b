const DECIMAL = /^[+-]?\d+(?:[.,]\d+)?$/;

/**
 * Scanner values arrive as text. `-0,9`, `-0.9` and `−0.9` (typographic minus) are the same number;
 * anything else is not a number and returns null, never 0.
 */
export function parseDecimal(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  const cleaned = raw.trim().replace(/^\u2212/, '-');
  if (!DECIMAL.test(cleaned)) return null;
  return Number(cleaned.replace(',', '.'));
}
