import { z } from 'zod';
import { formatIssues } from '../model/format-issues.ts';
import { StoredDataError } from './store-errors.ts';

/** A 0/1 integer column as a boolean. */
export const flag = z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1);

/** A row as its schema says, or a StoredDataError naming the table (never a silent cast). */
export function decodeRow<S extends z.ZodType>(schema: S, row: unknown, table: string): z.output<S> {
  const parsed = schema.safeParse(row);
  if (!parsed.success) throw new StoredDataError(`a row of ${table} does not read as this program expects: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

export function decodeRows<S extends z.ZodType>(schema: S, rows: unknown[], table: string): z.output<S>[] {
  return rows.map((row) => decodeRow(schema, row, table));
}

/**
 * A JSON column as its schema says. Stored results outlive the program that wrote them: one that
 * no longer parses is an error naming what it belongs to (`what`), never cast.
 */
export function decodeJson<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoredDataError(`${what}: the stored JSON does not parse (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoredDataError(`${what}: the stored value does not read as this program expects: ${formatIssues(parsed.error)}`);
  return parsed.data;
}
