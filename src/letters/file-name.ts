import { createHash } from 'node:crypto';
import type { FILE_NAME_FIELDS } from '../config/config-schema.ts';

export type FileNameFields = Record<(typeof FILE_NAME_FIELDS)[number], string | null>;

/** Well within the 255 bytes most file systems allow, with room for a `~N` or `_vN` suffix. */
const MAX_NAME = 150;
/** Each field's room, tried in turn until the name fits: a whole StudyInstanceUID fits the first. */
const FIELD_BUDGETS = [64, 24, 16];
const HASH_LENGTH = 8;

/**
 * A letter's file name from the configured pattern. Every field is made safe for any file system
 * (letters, digits, `.`, `_`, `-`), so no value from a DICOM header can steer a path. A long field
 * is shortened to a readable head and a hash of its whole value, so the short fields (the letter
 * kind, the date) are never what gets cut, and two long values still give two names.
 */
export function letterFileName(pattern: string, fields: FileNameFields): string {
  for (const budget of FIELD_BUDGETS) {
    const name = fillPattern(pattern, fields, budget);
    if (name.length <= MAX_NAME) return `${name || 'letter'}.pdf`;
  }
  // only a pattern whose own text is this long gets here
  return `${fillPattern(pattern, fields, FIELD_BUDGETS[FIELD_BUDGETS.length - 1] as number).slice(0, MAX_NAME)}.pdf`;
}

function fillPattern(pattern: string, fields: FileNameFields, budget: number): string {
  const filled = pattern.replace(/\{(\w+)\}/g, (_, name: string) => shortened(fields[name as keyof FileNameFields] ?? 'unknown', budget));
  return safePart(filled);
}

/** `head-1a2b3c4d`: the head of the safe value and a hash of the original, within `budget` characters. */
function shortened(value: string, budget: number): string {
  const safe = safePart(value);
  if (safe.length <= budget) return safe;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, HASH_LENGTH);
  const head = safePart(safe.slice(0, budget - HASH_LENGTH - 1));
  return head ? `${head}-${hash}` : hash;
}

export function safePart(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '');
}
