import { DatabaseSync } from 'node:sqlite';
import { vi } from 'vitest';

/**
 * Tables that stay small whatever the number of studies and files: a scan of one of them costs
 * nothing that grows. Every other table is taken to grow, so a table added later is checked too.
 */
export const SMALL_TABLES: ReadonlySet<string> = new Set(['schema_version', 'service_setup', 'users', 'web_sessions', 'login_failures', 'incomplete_files']);

/** Every distinct SQL text prepared on any `node:sqlite` database from now until `stop()`. */
export function recordPreparedStatements(): { statements: Set<string>; stop(): void } {
  const statements = new Set<string>();
  const prepare = DatabaseSync.prototype.prepare;
  const spy = vi.spyOn(DatabaseSync.prototype, 'prepare').mockImplementation(function (this: DatabaseSync, sql: string, ...rest) {
    statements.add(sql);
    return prepare.call(this, sql, ...rest);
  });
  return { statements, stop: () => spy.mockRestore() };
}

/** One full scan in a statement's plan: the table (not its alias) and the plan line. */
export interface FullScan {
  table: string;
  line: string;
}

/**
 * The full scans of growing tables in the statement's plan on `db`, unbound parameters as NULL.
 * `SCAN t USING [COVERING] INDEX i` reads the whole index: a full scan all the same, unless the
 * statement filters nothing and takes the first rows in the scan's own order (`LIMIT`, sorting at
 * most rows that tie in it): then it reads only those.
 */
export function fullScans(db: DatabaseSync, sql: string): FullScan[] {
  const aliases = tableAliases(sql);
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail);
  if (/\blimit \?$/i.test(sql) && !/\bwhere\b/i.test(sql) && !plan.some((line) => line === 'USE TEMP B-TREE FOR ORDER BY')) return [];
  const scans: FullScan[] = [];
  for (const detail of plan) {
    const scanned = /^SCAN (\S+)/.exec(detail)?.[1] ?? searchedByInboxOnly(db, detail);
    // a subquery's, a constant's or a VALUES list's rows, not a table's
    if (scanned === undefined || scanned.startsWith('(') || scanned === 'CONSTANT' || /^\d+-ROW$/.test(scanned)) continue;
    const table = aliases.get(scanned) ?? scanned;
    if (!SMALL_TABLES.has(table)) scans.push({ table, line: detail });
  }
  return scans;
}

/**
 * The table a search reads by the inbox's key alone in a whole index: that finds every row of a
 * single instance, a scan all the same. A partial index holds only the rows its WHERE names.
 */
function searchedByInboxOnly(db: DatabaseSync, detail: string): string | undefined {
  const search = /^SEARCH (\S+) USING (?:COVERING )?INDEX (\S+) \(inbox_key=\?\)$/.exec(detail);
  return search && !isPartialIndex(db, search[2]!) ? search[1] : undefined;
}

/** Whether the index holds only the rows its WHERE names (a partial index stays as small as they are). */
function isPartialIndex(db: DatabaseSync, index: string): boolean {
  const row = db.prepare('SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?').get('index', index) as { sql: string | null } | undefined;
  return /\bwhere\b/i.test(row?.sql ?? '');
}

/** `alias → table` for every `FROM/JOIN table [AS] alias` in the statement, quoted (kysely) or not. */
function tableAliases(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const match of sql.matchAll(/\b(?:from|join)\s+"?(\w+)"?\s+(?:as\s+)?"?(\w+)"?/gi)) {
    const [, table, alias] = match;
    if (table !== undefined && alias !== undefined) aliases.set(alias, table);
  }
  return aliases;
}
