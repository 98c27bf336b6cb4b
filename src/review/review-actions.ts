import type { DepartmentConfig } from '../config/config-schema.ts';
import type { Templates } from '../letters/load-templates.ts';
import { letterSetupFingerprint } from '../letters/letter-setup.ts';
import { TransitionRefused } from '../store/lifecycle.ts';
import type { StudyRecord } from '../store/study-records.ts';
import type { StudyStore } from '../store/study-store.ts';
import { approveVersion, letGo, rejectVersion, takeForReview } from '../store/study-transitions.ts';
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
  version: number;
  category: string | null;
  flags: string[];
  letters: string[];
}

export async function listHeld(store: StudyStore): Promise<HeldStudy[]> {
  const held = await store.studies.held();
  return Promise.all(held.map((study) => describeHeld(store, study)));
}

async function describeHeld(store: StudyStore, study: StudyRecord): Promise<HeldStudy> {
  const result = await store.studies.storedResult(study, study.version);
  return {
    id: study.id,
    studyUid: study.studyUid,
    studyDate: study.studyDate,
    accession: study.accession,
    version: study.version,
    category: result?.classification.category ?? null,
    flags: result?.classification.holdingFlags ?? [],
    letters: (await store.letters.current(study.id)).map((letter) => letter.path),
  };
}

export async function showStudy(store: StudyStore, key: string) {
  const study = await store.studies.find(key);
  if (!study) throw new ReviewError(`no study '${key}' (give its StudyInstanceUID, accession number or number from 'dexa review list')`);
  const result = await store.studies.storedResult(study, study.version);
  return { study, result, letters: await store.letters.current(study.id), deliveries: await store.deliveries.ofStudy(study.id), audit: await store.audit.of(study.id) };
}

export interface ReviewOptions {
  /** the version the reviewer looked at: refused when the study is at another */
  version?: number | null;
  acceptNewSetup?: boolean;
  /** where a released version is owed (the outbox) */
  destinations?: readonly string[];
  /**
   * the drafts the reviewer was shown (id and SHA-256): refused unless they are exactly the
   * study's current drafts, so what is approved is what was seen
   */
  shown?: readonly { id: number; sha256: string }[];
  /** the name the released letters are signed with, when it is not `by` (a workstation user's full name) */
  signedAs?: string;
}

/**
 * Releases a held study's letters: they are rendered again without the draft banner into
 * letters/, the drafts are kept in superseded/, and the audit log records who approved. The study
 * is taken first, so a second reviewer, or the service making a new version, is refused.
 */
export async function approveStudy(store: StudyStore, layout: Layout, config: DepartmentConfig, templates: Templates, key: string, by: string, options: ReviewOptions = {}): Promise<string[]> {
  const study = await take(store, key, by, options.version ?? null, 'approve');
  try {
    const result = await store.studies.storedResult(study, study.version);
    if (result === null) throw new ReviewError(`study '${key}' has no stored result for version ${study.version}`);
    const folders = outFolders(layout);
    const drafts = await store.letters.current(study.id);
    if (options.shown !== undefined) refuseUnlessShown(drafts, options.shown, study.studyUid);
    const madeWith = letterSetupFingerprint(config, templates);
    // What was reviewed is what goes out: a draft made under other configuration or templates would be released with other words.
    const changed = drafts.filter((draft) => draft.madeWith !== null && draft.madeWith !== madeWith);
    if (changed.length > 0 && options.acceptNewSetup !== true) {
      throw new ReviewError(
        `the configuration or templates changed since the drafts of ${study.studyUid} were made (${changed[0]?.madeWith} then, ${madeWith} now): the released letters would not be the ones reviewed; look at them with dexa render, then approve with --accept-new-setup, or reject the study`,
      );
    }
    const today = new Date();
    // loaded here: list, show and reject (and a refused approval) need no PDF library
    const { renderStudyLetters } = await import('../letters/render-letters.ts');
    const letters = await renderStudyLetters(result, config, templates, { kinds: drafts.map((d) => d.kind), letterDate: today.toISOString().slice(0, 10), creationDate: today, version: study.version, signOff: { kind: 'approved', by: options.signedAs ?? by, date: today.toISOString().slice(0, 10) } });
    const released = await writeLetters(store, study.id, letters, folders.letters, intoOut(layout));
    await recordAndPlaceLetters(store, study.id, released, async () => {
      const moved = await moveLetters(drafts, folders.superseded, intoOut(layout), 'draft-');
      await approveVersion(store, { study, by, letters: released, drafts: moved, madeWith, destinations: options.destinations ?? [] });
    }, 'review:recorded');
    return released.map((letter) => letter.path);
  } catch (error) {
    await letGo(store, study).catch(() => undefined);
    throw error;
  }
}

function refuseUnlessShown(drafts: readonly { id: number; sha256: string | null }[], shown: readonly { id: number; sha256: string }[], uid: string): void {
  const key = (letter: { id: number; sha256: string | null }) => `${letter.id}:${letter.sha256 ?? ''}`;
  const current = drafts.map(key).sort().join(',');
  if (current !== shown.map(key).sort().join(',')) {
    throw new ReviewError(`the letters of ${uid} are not the ones shown to you (they were made again meanwhile); look at them again before you approve`);
  }
}

/** Withdraws a held study's letters into rejected/ with the reason in the audit log. */
export async function rejectStudy(store: StudyStore, layout: Layout, key: string, reason: string, by: string, options: Pick<ReviewOptions, 'version'> = {}): Promise<string[]> {
  const study = await take(store, key, by, options.version ?? null, 'reject');
  try {
    const moved = await moveLetters(await store.letters.current(study.id), outFolders(layout).rejected, intoOut(layout));
    await rejectVersion(store, { study, by, reason, moved });
    return moved.map((letter) => letter.path);
  } catch (error) {
    await letGo(store, study).catch(() => undefined);
    throw error;
  }
}

async function take(store: StudyStore, key: string, by: string, version: number | null, transition: 'approve' | 'reject'): Promise<StudyRecord> {
  try {
    return await takeForReview(store, key, by, version, transition);
  } catch (error) {
    if (error instanceof TransitionRefused) throw new ReviewError(error.message);
    throw error;
  }
}
