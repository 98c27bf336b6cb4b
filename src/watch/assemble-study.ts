import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { assessStudy } from '../ingest/assess-study.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { contextContent } from '../ingest/load-context.ts';
import { mergeStudy } from '../ingest/merge-study.ts';
import { priorStudyOf, PRIORS_TO_LOAD } from '../ingest/prior-studies.ts';
import type { Templates } from '../letters/load-templates.ts';
import { renderStudyLetters, type LetterFile, type LetterRequest } from '../letters/render-letters.ts';
import type { IncompleteFile } from '../store/incomplete-files.ts';
import { CLAIM_MS, type StudyRecord } from '../store/study-records.ts';
import type { StudyStore } from '../store/study-store.ts';
import { commitVersion } from '../store/study-transitions.ts';
import { letterSetupFingerprint } from '../letters/letter-setup.ts';
import { crashPoint } from './crash-point.ts';
import { folderOf, intoOut, outFolders, type Layout } from './layout.ts';
import { moveLetters, recordAndPlaceLetters, writeLetters } from './letter-files.ts';
import { storeSidecarReader } from './store-sidecars.ts';

/** How soon a study waiting for a claimed file beside it looks again, at the least and at the most. */
const CLAIM_RECHECK_MIN_MS = 500;
const CLAIM_RECHECK_MAX_MS = 30_000;

export type LetterRenderer = (study: AssessedStudy, request: LetterRequest) => Promise<LetterFile[]>;

export interface AssemblyDeps {
  store: StudyStore;
  layout: Layout;
  config: DepartmentConfig;
  templates: Templates;
  logger: Logger;
  now?: () => Date;
  /** where letters are rendered: in this thread by default, or on the service's render pool */
  render?: LetterRenderer;
  /** the destinations a released version is owed to (the outbox) */
  destinations?: readonly string[];
  /** told when a version was released, so its deliveries go out at once */
  released?: () => void;
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
  const { store, config, templates } = deps;
  const at = deps.now?.() ?? new Date();
  const waitFor = await incompleteFileBeside(deps, study);
  if (waitFor !== null) {
    // looked at again when that file is taken, or at the latest when it would be quarantined
    await store.studies.postpone(study.id, new Date(Math.max(Date.parse(waitFor.quarantineAt), at.getTime() + 1000)).toISOString());
    return null;
  }
  const lookAgainAt = await claimedFileBeside(deps, study, at);
  if (lookAgainAt !== null) {
    await store.studies.postpone(study.id, lookAgainAt.toISOString());
    return null;
  }
  const parts = (await store.studies.instancesOf(study)).map(({ extraction, folder, name }) => ({
    ...extraction,
    instance: { ...extraction.instance, file: folder ? `${folder}/${name}` : name },
  }));
  if (parts.length === 0) {
    await store.studies.release(study, null);
    return null;
  }
  const priors = await store.studies.priorsOf(study, PRIORS_TO_LOAD);
  const entered = await store.contextEntries.latest(study);
  const assessed = await assessStudy(mergeStudy(parts), undefined, config.clinical, storeSidecarReader(store), priors.map(priorStudyOf), entered);
  const fingerprint = fingerprintOf(assessed);
  if (fingerprint === study.fingerprint) {
    await store.studies.release(study, null);
    return null;
  }
  const version = study.version + 1;
  const previous = study.version > 0 ? await store.studies.storedResult(study, study.version) : null;
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
  const { store, layout, logger } = deps;
  const { study, assessed, fingerprint, version, reason, letters, at } = prepared;
  const held = !assessed.classification.releasable;
  const folders = outFolders(layout);
  const madeWith = letterSetupFingerprint(deps.config, deps.templates);
  const written = await writeLetters(store, study.id, letters, held ? folders.review : folders.letters, intoOut(layout));
  await recordAndPlaceLetters(store, study.id, written, async () => {
    const superseded = await moveLetters(await store.letters.current(study.id), folders.superseded, intoOut(layout));
    await commitVersion(store, { study, version, fingerprint, assessed, letters: written, superseded, madeWith, reason, destinations: deps.destinations ?? [], at, beforeCommit: () => crashPoint('study:committing') });
  }, 'letters:recorded');
  if (!held) deps.released?.();
  logger.info({ study: study.studyUid, version, category: assessed.classification.category, held, reason }, held ? 'letters held for review' : 'letters released');
  crashPoint('study:committed');
}

/**
 * An incomplete file in the folder the study's files came from is probably one of its instances,
 * still being written: no letters until it is taken whole or quarantined.
 */
async function incompleteFileBeside(deps: AssemblyDeps, study: StudyRecord): Promise<IncompleteFile | null> {
  let latest: IncompleteFile | null = null;
  for (const file of await deps.store.incomplete.besideStudy(study.id)) {
    if (!(await stat(join(deps.layout.inbox, file.inboxPath)).then(() => true, () => false))) {
      await deps.store.incomplete.forget(file.inboxPath); // gone without being taken
      continue;
    }
    if (latest === null || file.quarantineAt > latest.quarantineAt) latest = file;
  }
  if (latest) deps.logger.info({ study: study.studyUid, file: latest.inboxPath }, 'study waits for an incomplete file beside it');
  return latest;
}

/**
 * On an inbox several instances share, a file beside the study that one of them has claimed and
 * not yet decided on is probably one of its instances or its context: the study waits for it, or
 * a version would go out without it and be amended moments later. A claim is looked at again soon
 * while young and less often as it ages; one older than the claim lease (its instance stopped and
 * has not started again) is not waited for. Null: nothing to wait for; else when to look again.
 */
async function claimedFileBeside(deps: AssemblyDeps, study: StudyRecord, at: Date): Promise<Date | null> {
  if (!deps.store.shared) return null;
  const claims = await deps.store.files.undecidedClaims();
  if (claims.length === 0) return null;
  const folders = (await deps.store.studies.sourceFolders([study.id])).get(study.id) ?? new Set<string>();
  let lookAgainAt: number | null = null;
  for (const claim of claims) {
    if (!folders.has(folderOf(claim.inboxPath))) continue;
    const age = at.getTime() - Date.parse(claim.receivedAt);
    if (age >= CLAIM_MS) {
      deps.logger.warn({ study: study.studyUid, file: claim.inboxPath, claimedBy: claim.instance }, 'a file beside the study was claimed by an instance that has not decided on it within the claim lease; not waited for (that instance takes it when it starts again)');
      continue;
    }
    const next = at.getTime() + Math.min(Math.max(CLAIM_RECHECK_MIN_MS, age), CLAIM_RECHECK_MAX_MS, CLAIM_MS - age);
    lookAgainAt = lookAgainAt === null ? next : Math.min(lookAgainAt, next);
    deps.logger.info({ study: study.studyUid, file: claim.inboxPath, claimedBy: claim.instance }, 'study waits for a file beside it that an instance is taking');
  }
  return lookAgainAt === null ? null : new Date(lookAgainAt);
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
    // a new entry from the review page makes a new version, even when it repeats what was there;
    // so does a sidecar that differs from what an entry says (the new version shows both)
    entry: study.context.provenance?.entry,
    overruled: overruledContent(study),
    classification,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** What the study's context overrules (an entry a sidecar, a sidecar the export), when it overrules anything. */
function overruledContent(study: AssessedStudy): string | undefined {
  const provenance = study.context.provenance;
  const overruled = [provenance?.menopausalStatus?.overruled, provenance?.fractureHistory?.overruled, provenance?.gp?.overruled];
  return overruled.every((value) => value === undefined) ? undefined : JSON.stringify(overruled);
}

/** Why a new version was made, for the audit log. */
function changeReason(previous: AssessedStudy | null, now: AssessedStudy): string {
  if (previous === null) return 'first classification';
  const before = new Set(previous.instances.map((instance) => instance.sopInstanceUid));
  const added = now.instances.filter((instance) => !before.has(instance.sopInstanceUid)).map((instance) => instance.file);
  const reasons: string[] = [];
  if (added.length > 0) reasons.push(`new instance(s): ${added.join(', ')}`);
  if (contextContent(previous.context) !== contextContent(now.context)) reasons.push('clinical context changed');
  const entry = now.context.provenance?.entry;
  if (entry && entry.enteredAt !== previous.context.provenance?.entry?.enteredAt) reasons.push(`context entered by ${entry.enteredBy}`);
  else if (overruledContent(previous) !== overruledContent(now)) reasons.push('the entered context overrules a different value');
  if ((previous.classification.comparison?.priorStudyInstanceUid ?? null) !== (now.classification.comparison?.priorStudyInstanceUid ?? null)) reasons.push('prior study changed');
  else if (JSON.stringify(previous.classification.trend) !== JSON.stringify(now.classification.trend)) reasons.push('earlier studies in the trend changed');
  if (reasons.length === 0) reasons.push('classification inputs changed');
  return reasons.join('; ');
}
