import { CamelCasePlugin, Kysely, type Dialect } from 'kysely';
import type { FileModes } from '../config/file-modes.ts';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';
import { isPostgresUrl, migratePostgres, postgresDialect, redactedUrl } from './postgres-engine.ts';
import type { Tables } from './schema.ts';
import { openSqlite } from './sqlite-engine.ts';

export type EngineKind = 'sqlite' | 'postgres';

/** A migrated database behind the query builder, and what it is. */
export interface Engine {
  kind: EngineKind;
  db: Kysely<Tables>;
  /** the store's file, or its URL without the password */
  location: string;
  /** closes what the query builder may not have opened itself (it closes only a database it has used) */
  release(): void;
}

/** Opens the store at a file (SQLite, created when missing) or a `postgres://` URL, migrated to the latest schema. */
export async function openEngine(location: string, modes?: FileModes): Promise<Engine> {
  if (isPostgresUrl(location)) {
    const { dialect } = postgresDialect(location);
    const db = queryBuilder(dialect);
    try {
      await migratePostgres(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return { kind: 'postgres', db, location: redactedUrl(location), release: () => undefined };
  }
  const file = openSqlite(location, modes);
  return { kind: 'sqlite', db: queryBuilder(new NodeSqliteDialect(file)), location, release: () => (file.isOpen ? file.close() : undefined) };
}

function queryBuilder(dialect: Dialect): Kysely<Tables> {
  return new Kysely<Tables>({ dialect, plugins: [new CamelCasePlugin()] });
}

export function now(): string {
  return new Date().toISOString();
}
