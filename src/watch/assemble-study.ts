import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { PriorStudy } from '../clinical/compare-prior.ts';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { assessStudy, type AssessedStudy } from '../ingest/assess-study.ts';
import { contextContent } from '../ingest/load-context.ts';
import { mergeStudy } from '../ingest/merge-study.ts';
import type { Templates } from '../letters/load-templates.ts';
import { renderStudyLetters, type LetterFile, type LetterRequest } from '../letters/render-letters.ts';
import { audit } from '../store/audit-log.ts';
import { addStudyFileEvent } from '../store/file-records.ts';
import { forgetIncomplete, incompleteBesideStudy, type IncompleteFile } from '../store/incomplete-files.ts';
import { transaction, type Database } from '../store/database.ts';
import { currentLetters, moveLetter, recordLetter } from '../store/letter-records.ts';
import { instancesOf, laterStudiesOf, makeDue, priorOf, recordClassification, setStudyState, storedResult, type StudyRecord } from '../store/study-records.ts';
import { letterSetupFingerprint } from '../letters/letter-setup.ts';
import { crashPoint } from './crash-point.ts';
import { intoOut, outFolders, type Layout } from './layout.ts';
import { moveLetters, recordAndPlaceLetters, writeLetters } from './letter-files.ts';
import { storeSidecarReader } from './store-sidecars.ts';

export type LetterRenderer = (study: AssessedStudy, request: LetterRequest) => Promise<LetterFile[]>;

export interface AssemblyDeps {
  db: Database;
  layout: Layout;
  config: DepartmentConfig;
  templates: Templates;
  logger: Logger;
  now?: () => Date;
  /** where letters are rendered: in this thread by default, or on the service's render pool */
  render?: LetterRenderer;
}

export interface PreparedVersion {
  study: StudyRecord;
  assessed: AssessedStudy;
  fingerprint: string;
  version: number;
  reason: string;
  letters: LetterFile[];
  at: Date;
}

/**
 * Merge the study's instances, find its clinical context and prior, classify it, and when anything
 * changed since the last version render the letters of a new version. Writes nothing but the
 * study's due mark when nothing changed; several studies of different patients may be prepared
 * at once.
 */
export async function prepareStudy(deps: AssemblyDeps, study: StudyRecord): Promise<PreparedVersion | null> {
  const { db, config, templates } = deps;
  const at = deps.now?.() ?? new Date();
  const waitFor = await incompleteFileBeside(deps, study);
  if (waitFor !== null) {
    // looked at again when that file is taken, or at the latest when it would be quarantined
    setStudyState(db, study.id, { dueAt: new Date(Math.max(Date.parse(waitFor.quarantine_at), at.getTime() + 1000)).toISOString() });
    return null;
  }
  const parts = instancesOf(db, study.id).map(({ extraction, folder, name }) => ({
    ...extraction,
    instance: { ...extraction.instance, file: folder ? `${folder}/${name}` : name },
  }));
  if (parts.length === 0) {
    setStudyState(db, study.id, { dueAt: null });
    return null;
  }
  const prior = priorOf(db, study);
  const assessed = await assessStudy(mergeStudy(parts), undefined, config.clinical, storeSidecarReader(db), prior ? priorStudy(prior) : null);
  const fingerprint = fingerprintOf(assessed);
  if (fingerprint === study.fingerprint) {
    setStudyState(db, study.id, { dueAt: null });
    return null;
  }
  const version = study.version + 1;
  const previous = study.version > 0 ? storedResult(db, study.id, study.version) : null;
  const request: LetterRequest = { kinds: ['gp', 'patient'], letterDate: at.toISOString().slice(0, 10), creationDate: at, version };
  const render: LetterRenderer = deps.render ?? ((s, r) => renderStudyLetters(s, config, templates, r));
  const letters = await render(assessed, request);
  crashPoint('study:rendered');
  return { study, assessed, fingerprint, version, reason: changeReason(previous, assessed), letters, at };
}

/**
 * Write the new version's letters (to review/ or letters/) under temporary names, keep the
 * previous ones in superseded/, record it all in one transaction, and only then put the letters
 * under their final names. One commit at a time.
 */
export async function commitStudy(deps: AssemblyDeps, prepared: PreparedVersion): Promise<void> {
  const { db, layout, logger } = deps;
  const { study, assessed, fingerprint, version, reason, letters, at } = prepared;
  const held = !assessed.classification.releasable;
  const folders = outFolders(layout);
  const madeWith = letterSetupFingerprint(deps.config, deps.templates);
  const written = await writeLetters(db, study.id, letters, held ? folders.review : folders.letters, intoOut(layout));
  await recordAndPlaceLetters(db, study.id, written, async () => {
    const superseded = await moveLetters(currentLetters(db, study.id), folders.superseded, intoOut(layout));
    transaction(db, () => {
      recordClassification(db, study.id, version, assessed, assessed.classification);
      for (const letter of written) recordLetter(db, study.id, version, letter, held ? 'review' : 'released', madeWith);
      for (const old of superseded) moveLetter(db, old.id, old.path, 'superseded');
      setStudyState(db, study.id, { state: held ? 'held' : 'released', version, fingerprint, dueAt: null });
      audit(db, study.id, 'classified', `version ${version}: ${assessed.classification.category ?? 'no diagnosis'}; ${reason}; letters ${held ? `held for review (${assessed.classification.holdingFlags.join(', ')})` : 'released'}`);
      makeDue(db, laterStudiesOf(db, study), at.toISOString());
      addStudyFileEvent(db, study.id, 'rendered', `letters version ${version}`);
      addStudyFileEvent(db, study.id, held ? 'held' : 'released', held ? 'letters held for review' : written.map((letter) => basename(letter.path)).join(', '));
      crashPoint('study:committing');
    });
  }, 'letters:recorded');
  logger.info({ study: study.study_uid, version, category: assessed.classification.category, held, reason }, held ? 'letters held for review' : 'letters released');
  crashPoint('study:committed');
}

/**
 * An incomplete file in the folder the study's files came from is probably one of its instances,
 * still being written: no letters until it is taken whole or quarantined.
 */
async function incompleteFileBeside(deps: AssemblyDeps, study: StudyRecord): Promise<IncompleteFile | null> {
  let latest: IncompleteFile | null = null;
  for (const file of incompleteBesideStudy(deps.db, study.id)) {
    if (!(await stat(join(deps.layout.inbox, file.inbox_path)).then(() => true, () => false))) {
      forgetIncomplete(deps.db, file.inbox_path); // gone without being taken
      continue;
    }
    if (latest === null || file.quarantine_at > latest.quarantine_at) latest = file;
  }
  if (latest) deps.logger.info({ study: study.study_uid, file: latest.inbox_path }, 'study waits for an incomplete file beside it');
  return latest;
}

function priorStudy(prior: AssessedStudy): PriorStudy {
  return {
    studyInstanceUid: prior.study.studyInstanceUid,
    studyDate: prior.study.studyDate ?? '',
    manufacturer: prior.study.manufacturer,
    model: prior.study.model,
    category: prior.classification.category,
    measurements: prior.measurements,
  };
}

/** What a version consists of; file locations and warnings do not make a new version. */
function fingerprintOf(study: AssessedStudy): string {
  const { patient, measurements, sideDifferences, vfa, errors, classification } = study;
  const content = {
    patient,
    study: study.study,
    instances: study.instances.map((instance) => instance.sopInstanceUid).sort(),
    measurements,
    sideDifferences,
    vfa,
    errors: errors.map((error) => error.message),
    context: contextContent(study.context),
    classification,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** Why a new version was made, for the audit log. */
function changeReason(previous: AssessedStudy | null, now: AssessedStudy): string {
  if (previous === null) return 'first classification';
  const before = new Set(previous.instances.map((instance) => instance.sopInstanceUid));
  const added = now.instances.filter((instance) => !before.has(instance.sopInstanceUid)).map((instance) => instance.file);
  const reasons: string[] = [];
  if (added.length > 0) reasons.push(`new instance(s): ${added.join(', ')}`);
  if (contextContent(previous.context) !== contextContent(now.context)) reasons.push('clinical context changed');
  if ((previous.classification.comparison?.priorStudyInstanceUid ?? null) !== (now.classification.comparison?.priorStudyInstanceUid ?? null)) reasons.push('prior study changed');
  if (reasons.length === 0) reasons.push('classification inputs changed');
  return reasons.join('; ');
}
