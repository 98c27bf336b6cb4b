import type { Classification } from '../clinical/classification.ts';
import type { AssessedStudy } from '../ingest/assess-study.ts';
import type { InstanceExtraction } from '../model/study.ts';
import { now, type Database } from './database.ts';

export type StudyState = 'assembling' | 'held' | 'released' | 'rejected';

export interface StudyRecord {
  id: number;
  study_uid: string;
  patient_ref: number | null;
  study_date: string | null;
  accession: string | null;
  state: StudyState;
  due_at: string | null;
  fingerprint: string | null;
  version: number;
}

/** Stores one instance under its study (creating patient and study when new) and makes the study due. */
export function storeInstance(db: Database, extraction: InstanceExtraction, fileId: number, source: { folder: string; name: string }, dueAt: string): number {
  const patientRef = extraction.patient.id === null ? null : upsertPatient(db, extraction.patient.id, extraction.patient.issuer ?? '');
  const existing = studyByUid(db, extraction.study.studyInstanceUid);
  let studyId: number;
  if (existing) {
    studyId = existing.id;
    // an instance arriving later may bring what the first lacked (a VFA SR has no accession number)
    db.prepare(
      `UPDATE studies SET due_at = ?, patient_ref = COALESCE(patient_ref, ?), study_date = COALESCE(study_date, ?), accession = COALESCE(accession, ?),
       state = CASE WHEN state = 'rejected' THEN 'assembling' ELSE state END, updated_at = ? WHERE id = ?`,
    ).run(dueAt, patientRef, extraction.study.studyDate, extraction.study.accessionNumber, now(), studyId);
  } else {
    const { lastInsertRowid } = db
      .prepare("INSERT INTO studies (study_uid, patient_ref, study_date, accession, state, due_at, updated_at) VALUES (?, ?, ?, ?, 'assembling', ?, ?)")
      .run(extraction.study.studyInstanceUid, patientRef, extraction.study.studyDate, extraction.study.accessionNumber, dueAt, now());
    studyId = Number(lastInsertRowid);
  }
  db.prepare('INSERT INTO instances (sop_instance_uid, study_ref, file_ref, source_folder, source_name, extraction, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(extraction.instance.sopInstanceUid, studyId, fileId, source.folder, source.name, JSON.stringify(extraction), now());
  return studyId;
}

function upsertPatient(db: Database, patientId: string, issuer: string): number {
  db.prepare('INSERT INTO patients (patient_id, issuer) VALUES (?, ?) ON CONFLICT (patient_id, issuer) DO NOTHING').run(patientId, issuer);
  return (db.prepare('SELECT id FROM patients WHERE patient_id = ? AND issuer = ?').get(patientId, issuer) as { id: number }).id;
}

/** Takes back the instance read from a file whose bytes will not be archived; says whose study it was. */
export function withdrawInstance(db: Database, fileId: number): number | null {
  const row = db.prepare('DELETE FROM instances WHERE file_ref = ? RETURNING study_ref').get(fileId) as { study_ref: number } | undefined;
  return row?.study_ref ?? null;
}

export function instanceExists(db: Database, sopInstanceUid: string): boolean {
  return db.prepare('SELECT 1 FROM instances WHERE sop_instance_uid = ?').get(sopInstanceUid) !== undefined;
}

export function studyByUid(db: Database, uid: string): StudyRecord | null {
  return (db.prepare('SELECT * FROM studies WHERE study_uid = ?').get(uid) as unknown as StudyRecord | undefined) ?? null;
}

export function studyById(db: Database, id: number): StudyRecord | null {
  return (db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as unknown as StudyRecord | undefined) ?? null;
}

/** A study by its UID, accession number or number in this store. */
export function findStudy(db: Database, key: string): StudyRecord | null {
  const byAccession = db.prepare('SELECT * FROM studies WHERE accession = ? ORDER BY id DESC LIMIT 1').get(key) as unknown as StudyRecord | undefined;
  return studyByUid(db, key) ?? byAccession ?? (/^\d+$/.test(key) ? studyById(db, Number(key)) : null);
}

export function dueStudies(db: Database, at: string): StudyRecord[] {
  return db.prepare('SELECT * FROM studies WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id').all(at) as unknown as StudyRecord[];
}

export function nextDueAt(db: Database): string | null {
  return (db.prepare('SELECT MIN(due_at) AS due FROM studies WHERE due_at IS NOT NULL').get() as { due: string | null }).due;
}

export function instancesOf(db: Database, studyId: number): { extraction: InstanceExtraction; folder: string; name: string }[] {
  const rows = db.prepare('SELECT extraction, source_folder, source_name FROM instances WHERE study_ref = ? ORDER BY id').all(studyId) as unknown as { extraction: string; source_folder: string; source_name: string }[];
  return rows.map((row) => ({ extraction: JSON.parse(row.extraction) as InstanceExtraction, folder: row.source_folder, name: row.source_name }));
}

/** Studies with an instance that arrived in this inbox folder: a context file there concerns them. */
export function studiesInFolder(db: Database, folder: string): number[] {
  return (db.prepare('SELECT DISTINCT study_ref FROM instances WHERE source_folder = ?').all(folder) as { study_ref: number }[]).map((row) => row.study_ref);
}

export function makeDue(db: Database, studyIds: number[], dueAt: string): void {
  const statement = db.prepare('UPDATE studies SET due_at = ?, updated_at = ? WHERE id = ?');
  for (const id of studyIds) statement.run(dueAt, now(), id);
}

/** What a classified version of a study was, as stored: the assessed study with its classification. */
export function storedResult(db: Database, studyId: number, version: number): AssessedStudy | null {
  const row = db.prepare('SELECT result FROM classifications WHERE study_ref = ? AND version = ?').get(studyId, version) as { result: string } | undefined;
  return row ? (JSON.parse(row.result) as AssessedStudy) : null;
}

/** The patient's latest classified study before this date: the prior for §7. */
export function priorOf(db: Database, study: StudyRecord): AssessedStudy | null {
  if (study.patient_ref === null || study.study_date === null) return null;
  const row = db
    .prepare(
      `SELECT c.result FROM studies s JOIN classifications c ON c.study_ref = s.id AND c.version = s.version
       WHERE s.patient_ref = ? AND s.id != ? AND s.study_date < ? ORDER BY s.study_date DESC, s.id DESC LIMIT 1`,
    )
    .get(study.patient_ref, study.id, study.study_date) as { result: string } | undefined;
  return row ? (JSON.parse(row.result) as AssessedStudy) : null;
}

/** Later studies of the same patient: a new classification here may change their comparison. */
export function laterStudiesOf(db: Database, study: StudyRecord): number[] {
  if (study.patient_ref === null || study.study_date === null) return [];
  return (db.prepare('SELECT id FROM studies WHERE patient_ref = ? AND id != ? AND study_date > ? AND version > 0').all(study.patient_ref, study.id, study.study_date) as { id: number }[]).map((r) => r.id);
}

export function recordClassification(db: Database, studyId: number, version: number, assessed: AssessedStudy, classification: Classification): void {
  db.prepare('INSERT INTO classifications (study_ref, version, category, releasable, result, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(studyId, version, classification.category, classification.releasable ? 1 : 0, JSON.stringify(assessed), now());
  const measurement = db.prepare('INSERT INTO measurements (study_ref, version, region, side, bmd, t_score, z_score) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const m of assessed.measurements) measurement.run(studyId, version, m.region, m.side, m.bmd, m.tScore, m.zScore);
}

/** The study's current version is made again (its letters were lost): due at `dueAt` whatever its inputs. */
export function makeAgain(db: Database, studyId: number, dueAt: string): void {
  db.prepare('UPDATE studies SET fingerprint = NULL, due_at = ?, updated_at = ? WHERE id = ?').run(dueAt, now(), studyId);
}

export function setStudyState(db: Database, studyId: number, fields: { state?: StudyState; version?: number; fingerprint?: string; dueAt?: string | null }): void {
  const current = studyById(db, studyId);
  if (!current) throw new Error(`no study ${studyId}`);
  db.prepare('UPDATE studies SET state = ?, version = ?, fingerprint = ?, due_at = ?, updated_at = ? WHERE id = ?').run(
    fields.state ?? current.state,
    fields.version ?? current.version,
    fields.fingerprint ?? current.fingerprint,
    fields.dueAt === undefined ? current.due_at : fields.dueAt,
    now(),
    studyId,
  );
}
