import { DatabaseSync, type SQLInputValue } from 'node:sqlite';

/**
 * The store's tables as SQL sees them (snake_case), read only: what a test asserts the store
 * holds. Each query opens the file afresh, so it sees every commit so far (WAL lets a reader in
 * beside the service) and leaves nothing open when the service stops or the test ends.
 */
export interface StoreRows {
  rows<T = Record<string, unknown>>(sql: string, ...params: SQLInputValue[]): T[];
  row<T = Record<string, unknown>>(sql: string, ...params: SQLInputValue[]): T | undefined;
  /** the `n` of a `SELECT COUNT(*) AS n …` */
  count(sql: string, ...params: SQLInputValue[]): number;
}

export function storeRows(file: string): StoreRows {
  const read = <T>(work: (db: DatabaseSync) => T): T => {
    // the timeout: a service that starts may hold the store a moment while it recovers its WAL
    const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    rows: <T>(sql: string, ...params: SQLInputValue[]) => read((db) => db.prepare(sql).all(...params) as T[]),
    row: <T>(sql: string, ...params: SQLInputValue[]) => read((db) => db.prepare(sql).get(...params) as T | undefined),
    count: (sql, ...params) => read((db) => (db.prepare(sql).get(...params) as { n: number }).n),
  };
}
