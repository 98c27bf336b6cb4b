import { LATEST_VERSION } from './migrations.ts';

/** A store a newer program has migrated: this one does not know its tables. */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
  readonly found: number;
  constructor(found: number) {
    super(`the store is at schema version ${found}, newer than this program (${LATEST_VERSION})`);
    this.found = found;
  }
}

/** A stored row or JSON column that does not decode as this program expects. */
export class StoredDataError extends Error {
  override readonly name = 'StoredDataError';
}

/** A row refused by a unique index (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505): another took it first. */
export function isUniqueViolation(error: unknown): boolean {
  const { errcode, code } = error as { errcode?: unknown; code?: unknown };
  return errcode === 2067 || code === '23505';
}
