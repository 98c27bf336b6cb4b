import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../src/store/migrations.ts';

const tables = (db: DatabaseSync) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);

describe('schema migrations', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-migrate-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('bring an empty database to the latest version, each step recorded', () => {
    const db = openDatabase(join(folder, 'new.db'));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
    expect(tables(db)).toEqual(expect.arrayContaining(['files', 'file_events', 'patients', 'studies', 'instances', 'measurements', 'classifications', 'letters', 'audit', 'context_files', 'incomplete_files', 'schema_version']));
    expect((db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    db.close();
  });

  it('bring a database of an earlier version forward, keeping its rows', () => {
    const file = join(folder, 'old.db');
    const old = new DatabaseSync(file);
    expect(migrate(old, 3)).toBe(3); // before letters were recorded ahead of their names
    expect((old.prepare('PRAGMA table_info(letters)').all() as { name: string }[]).map((c) => c.name)).not.toContain('in_place');
    old.prepare("INSERT INTO files (inbox_path, size, mtime_ms, sha256, kind, outcome, destination, moved, received_at, updated_at) VALUES ('a/SR1.dcm', 10, 1, 'abc', 'export', 'stored', '/x', 1, 't', 't')").run();
    old.prepare("INSERT INTO studies (study_uid, state, updated_at) VALUES ('1.2.3', 'released', 't')").run();
    old.prepare("INSERT INTO letters (study_ref, version, kind, path, state, created_at) VALUES (1, 1, 'gp', '/out/letters/a.pdf', 'released', 't')").run();
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect((db.prepare('PRAGMA table_info(letters)').all() as { name: string }[]).map((c) => c.name)).toEqual(expect.arrayContaining(['in_place', 'temporary_path', 'sha256']));
    expect(db.prepare('SELECT inbox_path, outcome FROM files').all()).toEqual([{ inbox_path: 'a/SR1.dcm', outcome: 'stored' }]);
    expect(db.prepare('SELECT study_uid, state FROM studies').all()).toEqual([{ study_uid: '1.2.3', state: 'released' }]);
    // letters recorded by an older version were written before they were recorded: they are in place
    expect(db.prepare('SELECT path, in_place FROM letters').all()).toEqual([{ path: '/out/letters/a.pdf', in_place: 1 }]);
    db.close();
  });

  it('are applied once: opening again changes nothing', () => {
    openDatabase(join(folder, 'twice.db')).close();
    const db = openDatabase(join(folder, 'twice.db'));
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuse a database from a newer program', () => {
    const file = join(folder, 'newer.db');
    const db = openDatabase(file);
    db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'future', 't')").run(LATEST_VERSION + 1);
    db.close();
    expect(() => openDatabase(file)).toThrow(`schema version ${LATEST_VERSION + 1}, newer than this program`);
  });

  it('roll back a migration that fails, leaving the version as it was', () => {
    const db = new DatabaseSync(join(folder, 'broken.db'));
    migrate(db, 1);
    db.exec('CREATE TABLE context_files (x INTEGER)'); // makes migration 2 fail
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    db.close();
  });
});
