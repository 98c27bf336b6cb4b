import type { Language } from '../config/config-schema.ts';

/** A score with one decimal; Dutch letters write a decimal comma. −0.0 is written 0,0. */
export function formatScore(value: number, language: Language): string {
  return decimal(value, 1, language);
}

/** BMD in g/cm² with three decimals. */
export function formatBmd(value: number, language: Language): string {
  return decimal(value, 3, language);
}

/** A percentage as the scanner gives it, with one decimal (FRAX: `13,0`, `2,9`). */
export function formatPercent(value: number, language: Language): string {
  return decimal(value, 1, language);
}

/** A formatted change with its sign: `+0,012`, `-0,048`. */
export function signed(value: string): string {
  return value.startsWith('-') ? value : `+${value}`;
}

function decimal(value: number, digits: number, language: Language): string {
  const text = (Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value).toFixed(digits);
  return language === 'nl' ? text.replace('.', ',') : text;
}

/** `2026-03-14` → `14 maart 2026` with the month names of the templates. */
export function formatDate(iso: string, months: string[]): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return `${day} ${months[month - 1] ?? month} ${year}`;
}

export function formatMonthYear(iso: string, months: string[]): string {
  const [year, month] = iso.split('-').map(Number) as [number, number];
  return `${months[month - 1] ?? month} ${year}`;
}

export function addYears(iso: string, years: number): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const whole = Math.floor(years);
  const extraMonths = Math.round((years - whole) * 12);
  const date = new Date(Date.UTC(year + whole, month - 1 + extraMonths, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(day, 28)).padStart(2, '0')}`;
}

/** `a`, `a en b`, `a, b en c` */
export function joinWords(words: string[], and: string): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${and} ${words[words.length - 1]}`;
}
