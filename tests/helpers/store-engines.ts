import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach } from 'vitest';
import { StudyStore } from '../../src/store/study-store.ts';
import { adminQuery, freshPostgresStore, postgresAnswers } from './postgres.ts';

/** One empty store location on one engine, with a way to change rows behind the store's back. */
export interface EmptyStore {
  location: string;
  /** raw SQL on the store's database, `?` placeholders */
  run(sql: string, ...params: (string | number | null)[]): Promise<unknown[]>;
  remove(): Promise<void>;
}

export interface StoreEngine {
  name: 'sqlite' | 'postgres';
  available: boolean;
  empty(): Promise<EmptyStore>;
}

const sqlite: StoreEngine = {
  name: 'sqlite',
  available: true,
  async empty() {
    const folder = await mkdtemp(join(tmpdir(), 'dexa-store-'));
    const location = join(folder, 'dexa.db');
    return {
      location,
      async run(sql, ...params) {
        const db = new DatabaseSync(location);
        try {
          db.exec('PRAGMA busy_timeout = 5000');
          const statement = db.prepare(sql);
          return statement.columns().length > 0 ? statement.all(...params) : (statement.run(...params), []);
        } finally {
          db.close();
        }
      },
      remove: () => rm(folder, { recursive: true, force: true }),
    };
  },
};

const postgresUp = await postgresAnswers();

const postgres: StoreEngine = {
  name: 'postgres',
  available: postgresUp,
  async empty() {
    const store = await freshPostgresStore();
    let n = 0;
    return {
      location: store.url,
      run: (sql, ...params) => adminQuery(sql.replace(/\?/g, () => `$${++n}`), params, store.schema).finally(() => (n = 0)),
      remove: store.drop,
    };
  },
};

/** Both engines; PostgreSQL's tests skip (with one line on stderr) where no server answers. */
export const STORE_ENGINES: StoreEngine[] = [sqlite, postgres];

/**
 * A fresh store on `engine` for each test of the suite it is called in (a test is skipped where
 * the engine is absent), closed and removed after it: read `store` inside the tests.
 */
export function freshStoreEach(engine: StoreEngine): { readonly store: StudyStore; readonly empty: EmptyStore } {
  let empty: EmptyStore | null = null;
  let store: StudyStore | null = null;
  beforeEach(async (context) => {
    if (!engine.available) return context.skip();
    empty = await engine.empty();
    store = await StudyStore.open(empty.location);
  });
  afterEach(async () => {
    await store?.close();
    await empty?.remove();
    store = null;
    empty = null;
  });
  return {
    get store() {
      if (store === null) throw new Error('the store is made for each test: read it inside one');
      return store;
    },
    get empty() {
      if (empty === null) throw new Error('the store is made for each test: read it inside one');
      return empty;
    },
  };
}
