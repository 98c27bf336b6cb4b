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
