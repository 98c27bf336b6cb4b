import type { Language } from '../config/config-schema.ts';
import type { PersonName } from '../model/study.ts';
import type { PageTexts } from './page-texts.ts';

/** The workstation shows times as the department reads its clocks. */
const TIME_ZONE = 'Europe/Amsterdam';
const CLOCK = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const MOMENT: Record<Language, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }),
};

/** An ISO time as `2026-06-01 14:05` (Amsterdam); text that is not a time is shown as it is. */
export function formatTime(iso: string | null): string {
  if (iso === null) return '';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : CLOCK.format(at);
}

/** A time stamp of the store (ISO 8601, UTC) in words, as `2 dec 2026, 09:16` (Amsterdam); text that is not a time is shown as it is. */
export function formatMoment(iso: string, language: Language): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : MOMENT[language].format(at);
}

/** A patient's name as `Family, Given Middle` (prefix and suffix kept); empty when the export gave none. */
export function formatName(name: PersonName | null | undefined): string {
  if (!name) return '';
  const given = [name.prefix, name.given, name.middle].filter((part) => part !== '').join(' ');
  const family = [name.family, name.suffix].filter((part) => part !== '').join(' ');
  return [family, given].filter((part) => part !== '').join(', ');
}

/** A word from the page texts (`section.key`), or the key itself when it has none. */
export function word(texts: PageTexts, section: string, key: string): string {
  const value = texts[section]?.[key];
  return typeof value === 'string' ? value : key;
}

/** `YYYY-MM-DD` when the text is a real calendar date; otherwise undefined (the filter is left out). */
export function calendarDate(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value ? value : undefined;
}
