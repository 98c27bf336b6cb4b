import { DatabaseSync } from 'node:sqlite';
import { CamelCasePlugin, Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.ts';
import { migratePostgres, postgresDialect } from '../../src/store/postgres-engine.ts';
import type { Tables } from '../../src/store/schema.ts';
import { migrateSqlite } from '../../src/store/sqlite-engine.ts';
import { StudyStore } from '../../src/store/study-store.ts';
import { STORE_ENGINES, type EmptyStore } from '../helpers/store-engines.ts';

/** Brings an empty store of this engine to `version` by the migrations alone. */
async function migrateTo(engine: string, location: string, version: number): Promise<void> {
  if (engine === 'sqlite') {
    const db = new DatabaseSync(location);
    migrateSqlite(db, version);
    db.close();
    return;
  }
  const db = new Kysely<Tables>({ dialect: postgresDialect(location).dialect, plugins: [new CamelCasePlugin()] });
  await migratePostgres(db, version);
  await db.destroy();
}

/** Rows a version-5 store holds: a file, a study still being put together, one released, one approved, its letters, a context file, an incomplete file, the setup. */
const V5_ROWS = [
  "INSERT INTO files (id, inbox_path, size, mtime_ms, sha256, kind, outcome, destination, moved, received_at, updated_at) VALUES (1, 'a/SR1.dcm', 10, 1, 'abc', 'export', 'stored', '/x', 1, 't', 't')",
  "INSERT INTO studies (id, study_uid, state, version, updated_at) VALUES (1, '1.2.1', 'assembling', 0, 't'), (2, '1.2.2', 'released', 1, 't'), (3, '1.2.3', 'released', 2, 't'), (4, '1.2.4', 'held', 1, 't')",
  "INSERT INTO audit (at, study_ref, action, actor, detail) VALUES ('t', 3, 'approved', 'dr. X', 'version 2 approved')",
  "INSERT INTO letters (study_ref, version, kind, path, state, created_at) VALUES (2, 1, 'gp', '/out/letters/a.pdf', 'released', 't')",
  "INSERT INTO context_files (folder, name, file_ref, content, received_at) VALUES ('a', 'context.json', 1, '{}', 't')",
  "INSERT INTO incomplete_files (inbox_path, folder, size, mtime_ms, sha256, problem, unchanged_since, tries, quarantine_at) VALUES ('a/SR2.dcm', 'a', 5, 1, 'def', 'TRUNCATED', 't', 1, 't')",
  "INSERT INTO service_setup (id, config_file, inbox, out, recorded_at) VALUES (1, NULL, '/in', '/out', 't')",
];

describe.each(STORE_ENGINES)('migrations on $name', (engine) => {
  let empty: EmptyStore;
  beforeEach(async (context) => {
    if (!engine.available) return context.skip();
    empty = await engine.empty();
  });
  afterEach(async () => {
    if (engine.available) await empty.remove();
  });

  it('bring an empty store to the latest version, each step recorded', async () => {
    const store = await StudyStore.open(empty.location);
    await store.close();
    const versions = (await empty.run('SELECT version FROM schema_version ORDER BY version')) as { version: number | string }[];
    expect(versions.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((m) => m.version));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it.each(MIGRATIONS.slice(0, -1).map((m) => m.version))('bring a store of version %i forward', async (version) => {
    await migrateTo(engine.name, empty.location, version);
    const store = await StudyStore.open(empty.location);
    expect(await store.studies.countsByState()).toEqual({});
    await store.close();
    const [latest] = (await empty.run('SELECT MAX(version) AS v FROM schema_version')) as { v: number | string }[];
    expect(Number(latest?.v)).toBe(LATEST_VERSION);
  });

  it('carry a version-5 store into the lifecycle, keeping every row', async () => {
    await migrateTo(engine.name, empty.location, 5);
    for (const sql of V5_ROWS) await empty.run(sql);
    const store = await StudyStore.open(empty.location);
    try {
      const states = await Promise.all([1, 2, 3, 4].map((id) => store.studies.byId(id)));
      expect(states.map((s) => [s?.state, s?.releasedVersion])).toEqual([
        ['received', null],
        ['released', 1],
        ['approved', 2],
        ['held', null],
      ]);
      expect(await store.letters.ofStudy(2)).toMatchObject([{ path: '/out/letters/a.pdf', inPlace: true }]);
      expect(await store.context.content({ folder: 'a', name: 'context.json' })).toBe('{}');
      expect(await store.incomplete.at('a/SR2.dcm')).toMatchObject({ problem: 'TRUNCATED', tries: 1 });
      expect(await store.setup.current()).toMatchObject({ instance: '', inbox: '/in', out: '/out' });
      expect(await store.files.events(1)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuse a store a newer program has migrated', async () => {
    await (await StudyStore.open(empty.location)).close();
    await empty.run("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'future', 't')", LATEST_VERSION + 1);
    await expect(StudyStore.open(empty.location)).rejects.toThrow(`schema version ${LATEST_VERSION + 1}, newer than this program`);
  });
});
