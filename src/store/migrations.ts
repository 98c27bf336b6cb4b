import type { DatabaseSync } from 'node:sqlite';

/**
 * Forward-only schema migrations. Each is applied in one transaction together with its row in
 * schema_version, so a database is always at exactly one version. Never edit a released one:
 * add the next.
 */
export const MIGRATIONS: { version: number; description: string; sql: string }[] = [
  {
    version: 1,
    description: 'files and their journey, patients, studies, instances, measurements, classifications, letters, audit log',
    sql: `
      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        inbox_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('export', 'context', 'other')),
        outcome TEXT CHECK (outcome IN ('stored', 'duplicate', 'quarantined', 'ignored', 'context')),
        destination TEXT,
        moved INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        sop_instance_uid TEXT,
        received_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX files_pending ON files (moved) WHERE moved = 0;
      CREATE INDEX files_path ON files (inbox_path, sha256);
      CREATE TABLE file_events (
        id INTEGER PRIMARY KEY,
        file_ref INTEGER NOT NULL REFERENCES files (id),
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT
      ) STRICT;
      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL,
        issuer TEXT NOT NULL DEFAULT '',
        UNIQUE (patient_id, issuer)
      ) STRICT;
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        study_uid TEXT NOT NULL UNIQUE,
        patient_ref INTEGER REFERENCES patients (id),
        study_date TEXT,
        accession TEXT,
        state TEXT NOT NULL CHECK (state IN ('assembling', 'held', 'released', 'rejected')),
        due_at TEXT,
        fingerprint TEXT,
        version INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX studies_due ON studies (due_at) WHERE due_at IS NOT NULL;
      CREATE TABLE instances (
        id INTEGER PRIMARY KEY,
        sop_instance_uid TEXT NOT NULL UNIQUE,
        study_ref INTEGER NOT NULL REFERENCES studies (id),
        file_ref INTEGER NOT NULL REFERENCES files (id),
        source_folder TEXT NOT NULL,
        source_name TEXT NOT NULL,
        extraction TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE measurements (
        id INTEGER PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies (id),
        version INTEGER NOT NULL,
        region TEXT NOT NULL,
        side TEXT,
        bmd REAL,
        t_score REAL,
        z_score REAL
      ) STRICT;
      CREATE INDEX measurements_study ON measurements (study_ref, version);
      CREATE TABLE classifications (
        id INTEGER PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies (id),
        version INTEGER NOT NULL,
        category TEXT,
        releasable INTEGER NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (study_ref, version)
      ) STRICT;
      CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies (id),
        version INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('gp', 'patient')),
        path TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('review', 'released', 'superseded', 'rejected')),
        created_at TEXT NOT NULL,
        UNIQUE (study_ref, version, kind)
      ) STRICT;
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        study_ref INTEGER REFERENCES studies (id),
        action TEXT NOT NULL,
        actor TEXT,
        detail TEXT NOT NULL
      ) STRICT;`,
  },
  {
    version: 2,
    description: 'clinical context sidecars that arrive in the inbox, by the folder and name they arrived under',
    sql: `
      CREATE TABLE context_files (
        id INTEGER PRIMARY KEY,
        folder TEXT NOT NULL,
        name TEXT NOT NULL,
        file_ref INTEGER NOT NULL REFERENCES files (id),
        content TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (folder, name)
      ) STRICT;`,
  },
  {
    version: 3,
    description: 'files left in the inbox as incomplete, with their clock; a file record closed unmoved because the file changed after it was read',
    sql: `
      CREATE TABLE incomplete_files (
        inbox_path TEXT PRIMARY KEY,
        folder TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        problem TEXT NOT NULL,
        unchanged_since TEXT NOT NULL,
        tries INTEGER NOT NULL,
        quarantine_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX incomplete_files_folder ON incomplete_files (folder);
      ALTER TABLE files ADD COLUMN changed_after_read INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 4,
    description: 'a letter is recorded before it is under its final name: where it waits meanwhile, its hash, and whether it is in place',
    sql: `
      ALTER TABLE letters ADD COLUMN in_place INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE letters ADD COLUMN temporary_path TEXT;
      ALTER TABLE letters ADD COLUMN sha256 TEXT;
      CREATE INDEX letters_not_in_place ON letters (in_place) WHERE in_place = 0;
      CREATE INDEX letters_path ON letters (path);`,
  },
  {
    version: 5,
    description: 'the folders and configuration file the service runs with, so the other commands need only the store; the configuration and templates each letter was made with',
    sql: `
      ALTER TABLE letters ADD COLUMN made_with TEXT;
      CREATE TABLE service_setup (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        config_file TEXT,
        inbox TEXT NOT NULL,
        out TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      ) STRICT;`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: DatabaseSync): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version ?? 0;
}

/** Applies every migration above the database's version, up to `target` (the latest by default). */
export function migrate(db: DatabaseSync, target: number = LATEST_VERSION): number {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) throw new Error(`the database is at schema version ${current}, newer than this program (${LATEST_VERSION})`);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.description, new Date().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return schemaVersion(db);
}
