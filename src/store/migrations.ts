/**
 * Forward-only schema migrations, for both engines. Each is applied in one transaction together
 * with its row in schema_version, so a database is always at exactly one version. Never edit a
 * released one: add the next. `sql` is SQLite's; PostgreSQL's is `postgres`, or else `sql` as
 * `postgresSql` translates it. A migration that rebuilds a table others refer to runs on SQLite
 * with foreign keys off and checked before it commits (SQLite's own recipe for altering a table).
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  postgres?: string;
  rebuildsTables?: boolean;
}

/** A v5 study's state in the lifecycle: one still being put together is received, one released by an approval approved. */
const LIFECYCLE_STATE_OF_V5 = `CASE WHEN state = 'assembling' THEN 'received'
  WHEN state = 'released' AND EXISTS (SELECT 1 FROM audit a WHERE a.study_ref = studies.id AND a.action = 'approved') THEN 'approved' ELSE state END`;

/** The last version a v5 study released: its current one when it is released (an earlier release is not told apart from a held version in v5). */
const RELEASED_VERSION_OF_V5 = `CASE WHEN state = 'released' THEN version ELSE NULL END`;

/** The parts of version 6 both engines write alike. */
const V6_COMMON = `
      CREATE INDEX studies_patient ON studies (patient_ref, study_date);
      ALTER TABLE files ADD COLUMN inbox_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE files ADD COLUMN instance TEXT NOT NULL DEFAULT '';
      CREATE UNIQUE INDEX files_claim ON files (inbox_key, inbox_path, sha256) WHERE moved = 0 AND changed_after_read = 0;
      ALTER TABLE instances ADD COLUMN inbox_key TEXT NOT NULL DEFAULT '';
      CREATE INDEX instances_folder ON instances (inbox_key, source_folder);
      CREATE INDEX instances_study ON instances (study_ref);
      ALTER TABLE letters ADD COLUMN instance TEXT NOT NULL DEFAULT '';
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies (id),
        version INTEGER NOT NULL,
        destination TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        claimed_by TEXT,
        claimed_until TEXT,
        delivered_at TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (study_ref, version, destination)
      ) STRICT;
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
      CREATE TABLE letter_names (
        name TEXT PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies (id),
        reserved_at TEXT NOT NULL
      ) STRICT;`;

/** The indexes of version 9 both engines make alike. */
const V9_INDEXES = `
      CREATE INDEX studies_state ON studies (state, study_date);
      CREATE INDEX studies_date ON studies (study_date);
      CREATE INDEX studies_accession ON studies (accession);
      CREATE INDEX studies_claimed ON studies (claimed_by) WHERE claimed_by IS NOT NULL;
      CREATE INDEX deliveries_state ON deliveries (state);
      CREATE INDEX deliveries_claimed ON deliveries (claimed_by) WHERE claimed_by IS NOT NULL;
      CREATE INDEX files_outcome ON files (outcome, received_at);
      CREATE INDEX file_events_file ON file_events (file_ref, id);
      CREATE INDEX instances_file ON instances (file_ref);
      CREATE INDEX context_files_file ON context_files (file_ref);
      CREATE INDEX audit_study ON audit (study_ref, id);
      CREATE INDEX audit_action ON audit (action, id);
      CREATE INDEX letter_names_study ON letter_names (study_ref);
      CREATE INDEX view_log_patient ON view_log (patient_id, id);
      CREATE INDEX view_log_actor ON view_log (actor, id);
      CREATE INDEX view_log_study ON view_log (study_ref);
      CREATE INDEX dicom_associations_open ON dicom_associations (instance) WHERE outcome = 'open';`;

export const MIGRATIONS: Migration[] = [
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
  {
    version: 6,
    description: 'the study lifecycle (received, held, released, approved, rejected, amended, delivered) with claims for several instances; the inbox and instance of each file; the outbox of deliveries; letter names reserved per study; the setup per instance',
    rebuildsTables: true,
    sql: `
      CREATE TABLE studies_v6 (
        id INTEGER PRIMARY KEY,
        study_uid TEXT NOT NULL UNIQUE,
        patient_ref INTEGER REFERENCES patients (id),
        study_date TEXT,
        accession TEXT,
        state TEXT NOT NULL CHECK (state IN ('received', 'held', 'released', 'approved', 'rejected', 'amended', 'delivered')),
        due_at TEXT,
        fingerprint TEXT,
        version INTEGER NOT NULL DEFAULT 0,
        revision INTEGER NOT NULL DEFAULT 0,
        released_version INTEGER,
        claimed_by TEXT,
        claimed_until TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO studies_v6 (id, study_uid, patient_ref, study_date, accession, state, due_at, fingerprint, version, released_version, updated_at)
        SELECT id, study_uid, patient_ref, study_date, accession, ${LIFECYCLE_STATE_OF_V5}, due_at, fingerprint, version, ${RELEASED_VERSION_OF_V5}, updated_at FROM studies;
      DROP TABLE studies;
      ALTER TABLE studies_v6 RENAME TO studies;
      CREATE INDEX studies_due ON studies (due_at) WHERE due_at IS NOT NULL;
      ${V6_COMMON}
      CREATE TABLE incomplete_files_v6 (
        inbox_key TEXT NOT NULL,
        inbox_path TEXT NOT NULL,
        folder TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        problem TEXT NOT NULL,
        unchanged_since TEXT NOT NULL,
        tries INTEGER NOT NULL,
        quarantine_at TEXT NOT NULL,
        PRIMARY KEY (inbox_key, inbox_path)
      ) STRICT;
      INSERT INTO incomplete_files_v6 SELECT '', inbox_path, folder, size, mtime_ms, sha256, problem, unchanged_since, tries, quarantine_at FROM incomplete_files;
      DROP TABLE incomplete_files;
      ALTER TABLE incomplete_files_v6 RENAME TO incomplete_files;
      CREATE INDEX incomplete_files_folder ON incomplete_files (inbox_key, folder);
      CREATE TABLE context_files_v6 (
        id INTEGER PRIMARY KEY,
        inbox_key TEXT NOT NULL,
        folder TEXT NOT NULL,
        name TEXT NOT NULL,
        file_ref INTEGER NOT NULL REFERENCES files (id),
        content TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (inbox_key, folder, name)
      ) STRICT;
      INSERT INTO context_files_v6 SELECT id, '', folder, name, file_ref, content, received_at FROM context_files;
      DROP TABLE context_files;
      ALTER TABLE context_files_v6 RENAME TO context_files;
      CREATE TABLE service_setup_v6 (
        instance TEXT PRIMARY KEY,
        config_file TEXT,
        inbox TEXT NOT NULL,
        out TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO service_setup_v6 SELECT '', config_file, inbox, out, recorded_at FROM service_setup;
      DROP TABLE service_setup;
      ALTER TABLE service_setup_v6 RENAME TO service_setup;`,
    postgres: `
      ALTER TABLE studies DROP CONSTRAINT studies_state_check;
      ALTER TABLE studies ADD COLUMN released_version INTEGER;
      UPDATE studies SET state = ${LIFECYCLE_STATE_OF_V5}, released_version = ${RELEASED_VERSION_OF_V5};
      ALTER TABLE studies ADD CONSTRAINT studies_state_check CHECK (state IN ('received', 'held', 'released', 'approved', 'rejected', 'amended', 'delivered'));
      ALTER TABLE studies ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE studies ADD COLUMN claimed_by TEXT;
      ALTER TABLE studies ADD COLUMN claimed_until TEXT;
      ${V6_COMMON}
      ALTER TABLE incomplete_files ADD COLUMN inbox_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE incomplete_files DROP CONSTRAINT incomplete_files_pkey, ADD PRIMARY KEY (inbox_key, inbox_path);
      DROP INDEX incomplete_files_folder;
      CREATE INDEX incomplete_files_folder ON incomplete_files (inbox_key, folder);
      ALTER TABLE context_files ADD COLUMN inbox_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE context_files DROP CONSTRAINT context_files_folder_name_key, ADD CONSTRAINT context_files_place UNIQUE (inbox_key, folder, name);
      ALTER TABLE service_setup ADD COLUMN instance TEXT NOT NULL DEFAULT '';
      ALTER TABLE service_setup DROP CONSTRAINT service_setup_pkey, DROP COLUMN id, ADD PRIMARY KEY (instance);`,
  },
  {
    version: 7,
    description: 'the review workstation: its users and their sessions, login throttling, the log of who viewed which patient (NEN 7513), and clinical context entered on the page',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('laborant', 'radioloog', 'beheerder')),
        password_hash TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE web_sessions (
        token_hash TEXT PRIMARY KEY,
        user_ref INTEGER NOT NULL REFERENCES users (id),
        csrf_token TEXT NOT NULL,
        address TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX web_sessions_user ON web_sessions (user_ref);
      CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_at TEXT NOT NULL,
        locked_until TEXT
      ) STRICT;
      CREATE TABLE view_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        address TEXT NOT NULL,
        patient_id TEXT,
        study_ref INTEGER REFERENCES studies (id),
        what TEXT NOT NULL
      ) STRICT;
      CREATE INDEX view_log_at ON view_log (at);
      CREATE TABLE context_entries (
        id INTEGER PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies (id),
        content TEXT NOT NULL,
        entered_by TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX context_entries_study ON context_entries (study_ref, id);`,
  },
  {
    version: 8,
    description: 'the DICOM receiver: each association (who called, from where, what it sent and what was refused) and each object received',
    sql: `
      CREATE TABLE dicom_associations (
        id TEXT PRIMARY KEY,
        instance TEXT NOT NULL DEFAULT '',
        calling_ae TEXT NOT NULL,
        called_ae TEXT NOT NULL,
        address TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('open', 'released', 'aborted', 'rejected')),
        reason TEXT,
        received INTEGER NOT NULL DEFAULT 0,
        stored INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        refused INTEGER NOT NULL DEFAULT 0,
        refusals TEXT
      ) STRICT;
      CREATE INDEX dicom_associations_started ON dicom_associations (started_at);
      CREATE TABLE dicom_receipts (
        id INTEGER PRIMARY KEY,
        association_id TEXT NOT NULL REFERENCES dicom_associations (id),
        calling_ae TEXT NOT NULL,
        address TEXT NOT NULL,
        sop_class_uid TEXT NOT NULL,
        sop_instance_uid TEXT NOT NULL,
        transfer_syntax_uid TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        inbox_path TEXT,
        duplicate INTEGER NOT NULL DEFAULT 0,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX dicom_receipts_instance ON dicom_receipts (sop_instance_uid, sha256);
      CREATE INDEX dicom_receipts_association ON dicom_receipts (association_id);`,
  },
  {
    version: 9,
    description: 'an index for every lookup the service makes: by state, accession, study date, claim, outcome, audit action, viewer and patient, and on every reference to a study or file',
    sql: V9_INDEXES,
    // PostgreSQL compares letter names in byte order (COLLATE "C") to look up a name's numbered variants by range
    postgres: `${V9_INDEXES}
      CREATE INDEX letter_names_binary ON letter_names (name COLLATE "C");`,
  },
  {
    version: 10,
    description: "an instance's extraction (about 5 KB of JSON) in a table of its own: the instance rows the service looks up stay small",
    sql: `
      CREATE TABLE instance_extractions (
        instance_ref INTEGER PRIMARY KEY REFERENCES instances (id),
        extraction TEXT NOT NULL
      ) STRICT;
      INSERT INTO instance_extractions (instance_ref, extraction) SELECT id, extraction FROM instances;
      ALTER TABLE instances DROP COLUMN extraction;`,
    // the key is the instance's, never generated
    postgres: `
      CREATE TABLE instance_extractions (
        instance_ref BIGINT PRIMARY KEY REFERENCES instances (id),
        extraction TEXT NOT NULL
      );
      INSERT INTO instance_extractions (instance_ref, extraction) SELECT id, extraction FROM instances;
      ALTER TABLE instances DROP COLUMN extraction;`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * A migration's SQL for PostgreSQL: integer primary keys become identities, integers BIGINT
 * (read back as numbers, see postgres-engine.ts), REAL double precision, and tables lose STRICT
 * (PostgreSQL's columns are strictly typed anyway).
 */
export function postgresSql(migration: Migration): string {
  return (migration.postgres ?? migration.sql)
    .replace(/\bINTEGER PRIMARY KEY\b/g, 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
    .replace(/\)\s*STRICT\b/g, ')');
}
