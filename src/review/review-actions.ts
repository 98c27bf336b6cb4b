import { basename } from 'node:path';
import type { DepartmentConfig } from '../config/config-schema.ts';
import type { AssessedStudy } from '../ingest/assess-study.ts';
import type { Templates } from '../letters/load-templates.ts';
import { letterSetupFingerprint } from '../letters/letter-setup.ts';
import { renderStudyLetters } from '../letters/render-letters.ts';
import { audit, auditOf } from '../store/audit-log.ts';
import { addStudyFileEvent } from '../store/file-records.ts';
import { transaction, type Database } from '../store/database.ts';
import { currentLetters, moveLetter, recordLetter } from '../store/letter-records.ts';
import { findStudy, setStudyState, storedResult, type StudyRecord } from '../store/study-records.ts';
import { intoOut, outFolders, type Layout } from '../watch/layout.ts';
import { moveLetters, recordAndPlaceLetters, writeLetters } from '../watch/letter-files.ts';

export class ReviewError extends Error {
  override readonly name = 'ReviewError';
}

export interface HeldStudy {
  id: number;
  studyUid: string;
  studyDate: string | null;
  accession: string | null;
  category: string | null;
  flags: string[];
  letters: string[];
}

export function listHeld(db: Database): HeldStudy[] {
  const held = db.prepare("SELECT * FROM studies WHERE state = 'held' AND due_at IS NULL ORDER BY study_date, id").all() as unknown as StudyRecord[];
  return held.map((study) => describeHeld(db, study));
}

function describeHeld(db: Database, study: StudyRecord): HeldStudy {
  const result = storedResult(db, study.id, study.version);
  return {
    id: study.id,
    studyUid: study.study_uid,
    studyDate: study.study_date,
    accession: study.accession,
    category: result?.classification.category ?? null,
    flags: result?.classification.holdingFlags ?? [],
    letters: currentLetters(db, study.id).map((letter) => letter.path),
  };
}

export function showStudy(db: Database, key: string) {
  const study = requireStudy(db, key);
  const result = storedResult(db, study.id, study.version);
  return { study, result, letters: currentLetters(db, study.id), audit: auditOf(db, study.id) };
}

/**
 * Releases a held study's letters: they are rendered again without the draft banner into
 * letters/, the drafts are kept in superseded/, and the audit log records who approved.
 */
export async function approveStudy(db: Database, layout: Layout, config: DepartmentConfig, templates: Templates, key: string, by: string, options: { acceptNewSetup?: boolean } = {}): Promise<string[]> {
  const study = requireHeld(db, key);
  const result = storedResult(db, study.id, study.version) as AssessedStudy;
  const folders = outFolders(layout);
  const drafts = currentLetters(db, study.id);
  const madeWith = letterSetupFingerprint(config, templates);
  // What was reviewed is what goes out: a draft made under other configuration or templates would be released with other words.
  const changed = drafts.filter((draft) => draft.made_with !== null && draft.made_with !== madeWith);
  if (changed.length > 0 && options.acceptNewSetup !== true) {
    throw new ReviewError(
      `the configuration or templates changed since the drafts of ${study.study_uid} were made (${changed[0]?.made_with} then, ${madeWith} now): the released letters would not be the ones reviewed; look at them with dexa render, then approve with --accept-new-setup, or reject the study`,
    );
  }
  const today = new Date();
  const letters = await renderStudyLetters(result, config, templates, { kinds: drafts.map((d) => d.kind), letterDate: today.toISOString().slice(0, 10), creationDate: today, version: study.version, signOff: { kind: 'approved', by, date: today.toISOString().slice(0, 10) } });
  const released = await writeLetters(db, study.id, letters, folders.letters, intoOut(layout));
  await recordAndPlaceLetters(db, study.id, released, async () => {
    const moved = await moveLetters(drafts, folders.superseded, intoOut(layout), 'draft-');
    transaction(db, () => {
      for (const draft of moved) moveLetter(db, draft.id, draft.path, 'superseded');
      // the released letters replace the drafts of the same version
      db.prepare('DELETE FROM letters WHERE study_ref = ? AND version = ?').run(study.id, study.version);
      for (const letter of released) recordLetter(db, study.id, study.version, letter, 'released', madeWith);
      setStudyState(db, study.id, { state: 'released' });
      audit(db, study.id, 'approved', `version ${study.version} approved; letters released: ${released.map((l) => basename(l.path)).join(', ')}`, by);
      addStudyFileEvent(db, study.id, 'released', `approved by ${by}`);
    });
  }, 'review:recorded');
  return released.map((letter) => letter.path);
}

/** Withdraws a held study's letters into rejected/ with the reason in the audit log. */
export async function rejectStudy(db: Database, layout: Layout, key: string, reason: string, by: string | null): Promise<string[]> {
  const study = requireHeld(db, key);
  const moved = await moveLetters(currentLetters(db, study.id), outFolders(layout).rejected, intoOut(layout));
  transaction(db, () => {
    for (const letter of moved) moveLetter(db, letter.id, letter.path, 'rejected');
    setStudyState(db, study.id, { state: 'rejected' });
    audit(db, study.id, 'rejected', `version ${study.version} rejected: ${reason}`, by);
    addStudyFileEvent(db, study.id, 'rejected', reason);
  });
  return moved.map((letter) => letter.path);
}

function requireStudy(db: Database, key: string): StudyRecord {
  const study = findStudy(db, key);
  if (!study) throw new ReviewError(`no study '${key}' (give its StudyInstanceUID, accession number or number from 'dexa review list')`);
  return study;
}

function requireHeld(db: Database, key: string): StudyRecord {
  const study = requireStudy(db, key);
  if (study.state !== 'held' || study.due_at !== null) {
    throw new ReviewError(`study '${key}' is not waiting for review (it is ${study.due_at !== null ? 'waiting for its quiet period' : study.state})`);
  }
  return study;
}
