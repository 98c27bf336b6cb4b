import type { FILE_NAME_FIELDS } from '../config/config-schema.ts';

export type FileNameFields = Record<(typeof FILE_NAME_FIELDS)[number], string | null>;

/**
 * A letter's file name from the configured pattern. Every field is made safe for any file system
 * (letters, digits, `.`, `_`, `-`), so no value from a DICOM header can steer a path.
 */
export function letterFileName(pattern: string, fields: FileNameFields): string {
  const filled = pattern.replace(/\{(\w+)\}/g, (_, name: string) => safePart(fields[name as keyof FileNameFields] ?? 'unknown'));
  const name = safePart(filled).slice(0, 150) || 'letter';
  return `${name}.pdf`;
}

export function safePart(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '');
}
