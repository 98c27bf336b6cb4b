import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the tests use: $DEXA_TEST_PG_URL, else this project's machines' own. */
export const POSTGRES_URL = process.env['DEXA_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The one line a skipped PostgreSQL test prints. */
export const POSTGRES_SKIP_NOTE = `PostgreSQL tests skipped: no server answers at ${POSTGRES_URL}; start one (or set DEXA_TEST_PG_URL) to run them; .ci/run requires them (DEXA_REQUIRE_POSTGRES=1)`;

let answered: Promise<boolean> | null = null;

/**
 * Whether the server answers. Where it does not, the PostgreSQL tests skip, unless
 * DEXA_REQUIRE_POSTGRES is set (as in CI): then a missing server is a failure.
 */
export function postgresAnswers(): Promise<boolean> {
  answered ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      if (process.env['DEXA_REQUIRE_POSTGRES']) throw new Error(`DEXA_REQUIRE_POSTGRES is set but no PostgreSQL server answers at ${POSTGRES_URL}: ${(error as Error).message}`);
      process.stderr.write(`${POSTGRES_SKIP_NOTE}\n`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return answered;
}

/** A schema of its own for one test, as a store URL whose connections use it; `drop` removes it. */
export async function freshPostgresStore(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `dexa_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    url: `${POSTGRES_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    schema,
    drop: async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

/** Runs SQL on the test server outside any store (to set up or to break a row on purpose). */
export async function adminQuery(sql: string, params: unknown[] = [], schema?: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as unknown[];
  } finally {
    await client.end();
  }
}
