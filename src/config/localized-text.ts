import { z } from 'zod';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const text = z.string().trim().min(1);

/**
 * A text a department may give once, or per letter language: `radioloog`, or
 * `{ nl: radioloog, en: radiologist }`.
 */
export const LocalizedTextSchema = z.union([
  text,
  z
    .object({ nl: text.optional(), en: text.optional() })
    .strict()
    .refine((value) => Object.values(value).some((entry) => entry !== undefined), { message: 'give the text in at least one language (nl, en)' }),
]);
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** The text in the letter's language, else in the department's own language, else in whichever is given. */
export function inLanguage(value: LocalizedText, language: Language, fallback: Language): string {
  if (typeof value === 'string') return value;
  return value[language] ?? value[fallback] ?? Object.values(value).find((entry) => entry !== undefined) ?? '';
}

/** A mapping of languages only: one text, replaced whole when a configuration gives it, never merged. */
export function isLocalizedMapping(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => (LANGUAGES as readonly string[]).includes(key));
}
