import { CompiledQuery, PostgresDialect, type Dialect, type Kysely } from 'kysely';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { LATEST_VERSION, MIGRATIONS, postgresSql } from './migrations.ts';
import type { Tables } from './schema.ts';
import { NewerSchemaError } from './store-errors.ts';

/** Whether a store location is a PostgreSQL connection URL rather than a file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}

const INT8_OID = 20;

/** The PostgreSQL client library, loaded when a PostgreSQL store is opened: a SQLite store never loads it. */
function loadPg(): typeof pg {
  return createRequire(import.meta.url)('pg') as typeof pg;
}

/**
 * A pool on the PostgreSQL store. Integers are BIGINT there (see postgresSql) and come back as
 * numbers: ids, sizes and counts stay far below 2^53.
 */
export function postgresDialect(url: string): { dialect: Dialect; pool: pg.Pool } {
  const pg = loadPg();
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) };
  const pool = new pg.Pool({ connectionString: url, types: types as pg.CustomTypesConfig, max: 4 });
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** Every migration takes this advisory lock: two instances starting at once migrate one after the other. */
const MIGRATION_LOCK = 0x64657861; // 'dexa'

export async function postgresSchemaVersion(db: Kysely<Tables>): Promise<number> {
  const result = await db.executeQuery<{ version: number | null }>(CompiledQuery.raw('SELECT MAX(version) AS version FROM schema_version'));
  return result.rows[0]?.version ?? 0;
}

/** Applies every migration above the store's version, up to `target`, each in one transaction under the migration lock. */
export async function migratePostgres(db: Kysely<Tables>, target: number = LATEST_VERSION): Promise<number> {
  await db.connection().execute(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]));
    try {
      await connection.executeQuery(CompiledQuery.raw('CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)'));
      const current = await postgresSchemaVersion(connection);
      if (current > LATEST_VERSION) throw new NewerSchemaError(current);
      for (const migration of MIGRATIONS) {
        if (migration.version <= current || migration.version > target) continue;
        await connection.transaction().execute(async (tx) => {
          // a script of several statements goes as one simple query: no parameters
          await tx.executeQuery(CompiledQuery.raw(postgresSql(migration)));
          await tx.executeQuery(CompiledQuery.raw('INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.description, new Date().toISOString()]));
        });
      }
    } finally {
      await connection.executeQuery(CompiledQuery.raw('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]));
    }
  });
  return postgresSchemaVersion(db);
}
