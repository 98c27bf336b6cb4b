import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.ts';
import { migrateSqlite, openSqlite, sqliteSchemaVersion } from '../../src/store/sqlite-engine.ts';

const tables = (db: DatabaseSync) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
const columns = (db: DatabaseSync, table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name);

describe('schema migrations', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-migrate-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('bring an empty database to the latest version, each step recorded', () => {
    const db = openSqlite(join(folder, 'new.db'));
    expect(sqliteSchemaVersion(db)).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
    expect(tables(db)).toEqual(expect.arrayContaining(['files', 'file_events', 'patients', 'studies', 'instances', 'measurements', 'classifications', 'letters', 'audit', 'context_files', 'incomplete_files', 'service_setup', 'deliveries', 'schema_version']));
    expect((db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    db.close();
  });

  it('bring a database of an earlier version forward, keeping its rows', () => {
    const file = join(folder, 'old.db');
    const old = new DatabaseSync(file);
    expect(migrateSqlite(old, 3)).toBe(3); // before letters were recorded ahead of their names
    expect(columns(old, 'letters')).not.toContain('in_place');
    old.prepare("INSERT INTO files (inbox_path, size, mtime_ms, sha256, kind, outcome, destination, moved, received_at, updated_at) VALUES ('a/SR1.dcm', 10, 1, 'abc', 'export', 'stored', '/x', 1, 't', 't')").run();
    old.prepare("INSERT INTO studies (study_uid, state, updated_at) VALUES ('1.2.3', 'released', 't')").run();
    old.prepare("INSERT INTO letters (study_ref, version, kind, path, state, created_at) VALUES (1, 1, 'gp', '/out/letters/a.pdf', 'released', 't')").run();
    old.close();

    const db = openSqlite(file);
    expect(sqliteSchemaVersion(db)).toBe(LATEST_VERSION);
    expect(columns(db, 'letters')).toEqual(expect.arrayContaining(['in_place', 'temporary_path', 'sha256']));
    expect(db.prepare('SELECT inbox_path, outcome FROM files').all()).toEqual([{ inbox_path: 'a/SR1.dcm', outcome: 'stored' }]);
    expect(db.prepare('SELECT study_uid, state FROM studies').all()).toEqual([{ study_uid: '1.2.3', state: 'released' }]);
    // letters recorded by an older version were written before they were recorded: they are in place
    expect(db.prepare('SELECT path, in_place FROM letters').all()).toEqual([{ path: '/out/letters/a.pdf', in_place: 1 }]);
    db.close();
  });

  it('bring a version 5 store into the lifecycle of version 6: a study being assembled is received, a released one that was approved is approved', () => {
    const file = join(folder, 'v5.db');
    const old = new DatabaseSync(file);
    expect(migrateSqlite(old, 5)).toBe(5);
    const insertStudy = old.prepare("INSERT INTO studies (study_uid, state, version, updated_at) VALUES (?, ?, ?, 't')");
    insertStudy.run('1.1', 'assembling', 0);
    insertStudy.run('1.2', 'released', 2); // released by the reviewer's approval
    insertStudy.run('1.3', 'released', 1); // released as it was assembled
    insertStudy.run('1.4', 'held', 1);
    insertStudy.run('1.5', 'rejected', 1);
    old.prepare("INSERT INTO audit (at, study_ref, action, actor, detail) VALUES ('t', 2, 'classified', NULL, 'version 2'), ('t', 2, 'approved', 'dr. A', 'version 2 approved'), ('t', 3, 'classified', NULL, 'version 1')").run();
    old.prepare("INSERT INTO files (inbox_path, size, mtime_ms, sha256, kind, outcome, destination, moved, received_at, updated_at) VALUES ('a/SR1.dcm', 10, 1, 'abc', 'export', 'stored', '/x', 1, 't', 't')").run();
    old.prepare("INSERT INTO instances (sop_instance_uid, study_ref, file_ref, source_folder, source_name, extraction, received_at) VALUES ('1.2.1', 2, 1, 'a', 'SR1.dcm', '{}', 't')").run();
    old.prepare("INSERT INTO letters (study_ref, version, kind, path, state, created_at) VALUES (2, 2, 'gp', '/out/letters/a.pdf', 'released', 't')").run();
    old.prepare("INSERT INTO incomplete_files VALUES ('a/SR2.dcm', 'a', 5, 1, 'def', 'TRUNCATED', 't', 1, 'u')").run();
    old.prepare("INSERT INTO context_files (folder, name, file_ref, content, received_at) VALUES ('a', 'context.json', 1, '{}', 't')").run();
    old.prepare("INSERT INTO service_setup (id, config_file, inbox, out, recorded_at) VALUES (1, NULL, '/in', '/out', 't')").run();
    old.close();

    const db = openSqlite(file);
    expect(sqliteSchemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT study_uid, state, version, released_version, revision, claimed_by, claimed_until FROM studies ORDER BY id').all()).toEqual([
      { study_uid: '1.1', state: 'received', version: 0, released_version: null, revision: 0, claimed_by: null, claimed_until: null },
      { study_uid: '1.2', state: 'approved', version: 2, released_version: 2, revision: 0, claimed_by: null, claimed_until: null },
      { study_uid: '1.3', state: 'released', version: 1, released_version: 1, revision: 0, claimed_by: null, claimed_until: null },
      { study_uid: '1.4', state: 'held', version: 1, released_version: null, revision: 0, claimed_by: null, claimed_until: null },
      { study_uid: '1.5', state: 'rejected', version: 1, released_version: null, revision: 0, claimed_by: null, claimed_until: null },
    ]);
    // the rows the rebuilt tables refer to and from are all still there
    expect(db.prepare('SELECT study_ref, action FROM audit ORDER BY id').all()).toEqual([{ study_ref: 2, action: 'classified' }, { study_ref: 2, action: 'approved' }, { study_ref: 3, action: 'classified' }]);
    expect(db.prepare('SELECT study_ref, inbox_key FROM instances').all()).toEqual([{ study_ref: 2, inbox_key: '' }]);
    // version 10: what was read from the instance kept, in its own table
    expect(db.prepare('SELECT instance_ref, extraction FROM instance_extractions').all()).toEqual([{ instance_ref: 1, extraction: '{}' }]);
    expect(columns(db, 'instances')).not.toContain('extraction');
    expect(db.prepare('SELECT inbox_path, inbox_key, instance FROM files').all()).toEqual([{ inbox_path: 'a/SR1.dcm', inbox_key: '', instance: '' }]);
    expect(db.prepare('SELECT study_ref, state, instance FROM letters').all()).toEqual([{ study_ref: 2, state: 'released', instance: '' }]);
    expect(db.prepare('SELECT inbox_key, inbox_path, tries FROM incomplete_files').all()).toEqual([{ inbox_key: '', inbox_path: 'a/SR2.dcm', tries: 1 }]);
    expect(db.prepare('SELECT inbox_key, folder, name FROM context_files').all()).toEqual([{ inbox_key: '', folder: 'a', name: 'context.json' }]);
    expect(db.prepare('SELECT instance, inbox, out FROM service_setup').all()).toEqual([{ instance: '', inbox: '/in', out: '/out' }]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    // the columns and the table version 6 brings
    expect(columns(db, 'studies')).toEqual(expect.arrayContaining(['revision', 'released_version', 'claimed_by', 'claimed_until']));
    expect(columns(db, 'files')).toEqual(expect.arrayContaining(['inbox_key', 'instance']));
    expect(columns(db, 'instances')).toContain('inbox_key');
    expect(columns(db, 'letters')).toContain('instance');
    expect(columns(db, 'incomplete_files')).toContain('inbox_key');
    expect(columns(db, 'context_files')).toContain('inbox_key');
    expect(columns(db, 'service_setup')).toContain('instance');
    expect(columns(db, 'deliveries')).toEqual(['id', 'study_ref', 'version', 'destination', 'state', 'attempts', 'next_attempt_at', 'last_error', 'claimed_by', 'claimed_until', 'delivered_at', 'created_at']);
    // and the states of version 5 are no longer allowed
    expect(() => db.prepare("UPDATE studies SET state = 'assembling' WHERE id = 1").run()).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('are applied once: opening again changes nothing', () => {
    openSqlite(join(folder, 'twice.db')).close();
    const db = openSqlite(join(folder, 'twice.db'));
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuse a database from a newer program', () => {
    const file = join(folder, 'newer.db');
    const db = openSqlite(file);
    db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'future', 't')").run(LATEST_VERSION + 1);
    db.close();
    expect(() => openSqlite(file)).toThrow(`schema version ${LATEST_VERSION + 1}, newer than this program`);
  });

  it('roll back a migration that fails, leaving the version as it was', () => {
    const db = new DatabaseSync(join(folder, 'broken.db'));
    migrateSqlite(db, 1);
    db.exec('CREATE TABLE context_files (x INTEGER)'); // makes migration 2 fail
    expect(() => migrateSqlite(db)).toThrow();
    expect(sqliteSchemaVersion(db)).toBe(1);
    db.close();
  });
});
