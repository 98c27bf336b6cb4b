import { basename } from 'node:path';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { now } from './engine.ts';
import { assembledState, REFUSALS, TRANSITIONS, TransitionRefused, type StudyState } from './lifecycle.ts';
import type { Delivery } from './deliveries.ts';
import type { WrittenLetter } from './letter-records.ts';
import type { StudyRecord } from './study-records.ts';
import type { StudyStore } from './study-store.ts';

/** A letter moved aside on disk (to superseded/ or rejected/), to be recorded there. */
export interface MovedLetter {
  id: number;
  path: string;
}

export interface NewVersion {
  /** the study as it was taken for assembly */
  study: StudyRecord;
  version: number;
  fingerprint: string;
  assessed: AssessedStudy;
  letters: WrittenLetter[];
  superseded: MovedLetter[];
  madeWith: string;
  reason: string;
  /** where a released version is owed */
  destinations: readonly string[];
  at: Date;
  /** called inside the transaction before it commits (the crash tests stop there) */
  beforeCommit?: () => void;
}

/**
 * Commits a new version: its classification, letters and the letters it supersedes, its state
 * (held, released or amended), its audit entry, and for a release the deliveries it owes; and
 * makes later studies of the patient due (their prior changed). Refused, changing nothing, when
 * the study is no longer the one taken (another version was committed, or it was taken from this
 * instance). Says the state the version got.
 */
export async function commitVersion(store: StudyStore, next: NewVersion): Promise<StudyState> {
  return store.transaction(async (tx) => {
    const { study, version, assessed } = next;
    const current = await requireStudy(tx, study.id);
    if (current.version !== study.version) throw new TransitionRefused(REFUSALS.STALE_VERSION, `study ${study.studyUid}: version ${current.version} was made meanwhile; version ${version} from version ${study.version} is not committed`);
    if (current.claimedBy !== tx.identity.instance) throw new TransitionRefused(REFUSALS.CLAIMED_ELSEWHERE, `study ${study.studyUid} is no longer taken by this instance (${current.claimedBy ?? 'by none'})`);
    const state = assembledState(assessed.classification.releasable, current.releasedVersion !== null);
    const held = state === 'held';
    await tx.studies.recordClassification(study.id, version, assessed);
    for (const letter of next.letters) await tx.letters.record(study.id, version, letter, held ? 'review' : 'released', next.madeWith);
    for (const old of next.superseded) await tx.letters.move(old.id, old.path, 'superseded');
    await tx.studies.setVersion(study, { state, version, fingerprint: next.fingerprint, released: !held });
    await tx.audit.add(study.id, 'classified', `version ${version}: ${assessed.classification.category ?? 'no diagnosis'}; ${next.reason}; letters ${held ? `held for review (${assessed.classification.holdingFlags.join(', ')})` : state === 'amended' ? 'released, amending the earlier release' : 'released'}`);
    await tx.studies.makeDue(await tx.studies.laterStudiesOf(current), next.at.toISOString());
    await tx.files.addStudyEvent(study.id, 'rendered', `letters version ${version}`);
    await tx.files.addStudyEvent(study.id, held ? 'held' : 'released', held ? 'letters held for review' : next.letters.map((letter) => basename(letter.path)).join(', '));
    if (!held) await tx.deliveries.enqueue(study.id, version, next.destinations, next.at.toISOString());
    next.beforeCommit?.();
    return state;
  });
}

/**
 * Takes a held study for a reviewer's approval or rejection: refused when it is not held, when
 * `expectedVersion` is not its current version, when a new version is being made, or when another
 * reviewer or instance has it. Nobody else acts on it until `approveVersion`/`rejectVersion` or
 * `letGo`.
 */
export async function takeForReview(store: StudyStore, key: string, reviewer: string, expectedVersion: number | null, transition: 'approve' | 'reject'): Promise<StudyRecord> {
  return store.transaction(async (tx) => {
    const study = await tx.studies.find(key);
    if (study === null) throw new TransitionRefused(REFUSALS.WRONG_STATE, `no study '${key}' (give its StudyInstanceUID, accession number or number from 'dexa review list')`);
    const at = now();
    const taker = reviewClaim(reviewer);
    if (expectedVersion !== null && study.version !== expectedVersion) {
      throw new TransitionRefused(REFUSALS.STALE_VERSION, `study '${key}' is at version ${study.version}, not version ${expectedVersion}: look at the new version before you ${transition} it`);
    }
    if (!(TRANSITIONS[transition].from as readonly StudyState[]).includes(study.state)) throw new TransitionRefused(REFUSALS.WRONG_STATE, `study '${key}' is not waiting for review (it is ${study.state})`);
    if (study.dueAt !== null) throw new TransitionRefused(REFUSALS.NEW_VERSION_PENDING, `study '${key}' is not waiting for review: new input arrived and a new version is being made`);
    const taken = await tx.studies.claim(study, taker, at);
    if (!taken) throw new TransitionRefused(REFUSALS.CLAIMED_ELSEWHERE, `study '${key}' is being acted on by ${study.claimedBy ?? 'another process'}; try again in a moment`);
    return { ...study, claimedBy: taker };
  });
}

/** The claim a reviewer's action holds: one name space apart from the service instances'. */
export function reviewClaim(reviewer: string): string {
  return `review:${reviewer}`;
}

/** Releases the study's held version after review: its letters as approved, the drafts superseded, the deliveries owed. */
export async function approveVersion(store: StudyStore, review: { study: StudyRecord; by: string; letters: WrittenLetter[]; drafts: MovedLetter[]; madeWith: string; destinations: readonly string[] }): Promise<void> {
  await store.transaction(async (tx) => {
    const { study, by } = review;
    await requireTaken(tx, study);
    for (const draft of review.drafts) await tx.letters.move(draft.id, draft.path, 'superseded');
    // the released letters replace the drafts of the same version
    await tx.letters.deleteVersion(study.id, study.version);
    for (const letter of review.letters) await tx.letters.record(study.id, study.version, letter, 'released', review.madeWith);
    await tx.studies.setVersion(study, { state: 'approved', version: study.version, fingerprint: study.fingerprint, released: true });
    await tx.audit.add(study.id, 'approved', `version ${study.version} approved; letters released: ${review.letters.map((l) => `${basename(l.path)} (SHA-256 ${l.sha256})`).join(', ')}`, by);
    await tx.files.addStudyEvent(study.id, 'released', `approved by ${by}`);
    await tx.deliveries.enqueue(study.id, study.version, review.destinations);
  });
}

/** Withdraws the study's held version: its letters rejected, the reason in the audit log. */
export async function rejectVersion(store: StudyStore, review: { study: StudyRecord; by: string; reason: string; moved: MovedLetter[] }): Promise<void> {
  await store.transaction(async (tx) => {
    const { study } = review;
    await requireTaken(tx, study);
    for (const letter of review.moved) await tx.letters.move(letter.id, letter.path, 'rejected');
    await tx.studies.setVersion(study, { state: 'rejected', version: study.version, fingerprint: study.fingerprint, released: false });
    await tx.audit.add(study.id, 'rejected', `version ${study.version} rejected: ${review.reason}`, review.by);
    await tx.files.addStudyEvent(study.id, 'rejected', review.reason);
  });
}

/** A review that could not be finished lets go of the study, unchanged. */
export async function letGo(store: StudyStore, study: StudyRecord): Promise<void> {
  await store.studies.unclaim(study);
}

/** A delivery arrived; when it was the version's last, the study is delivered. */
export async function recordDelivered(store: StudyStore, delivery: { id: number; studyRef: number; version: number; destination: string }, at: string): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.deliveries.succeeded(delivery.id, at);
    await tx.audit.add(delivery.studyRef, 'delivered', `version ${delivery.version} delivered to ${delivery.destination}`);
    if (!(await tx.deliveries.allDelivered(delivery.studyRef, delivery.version))) return;
    const study = await tx.studies.byId(delivery.studyRef);
    if (study === null || study.version !== delivery.version || !(TRANSITIONS.deliver.from as readonly StudyState[]).includes(study.state)) return;
    await tx.studies.setState(study, 'delivered');
  });
}

/**
 * `dexa deliveries retry`: a delivery that failed for good is tried again (the running service
 * takes it within a second), and the audit log says who asked. Refused for a delivery that is
 * still pending or was delivered, or that is not there.
 */
export async function retryFailedDelivery(store: StudyStore, id: number, actor: string | null): Promise<Delivery> {
  return store.transaction(async (tx) => {
    const delivery = await tx.deliveries.byId(id);
    if (delivery === null) throw new DeliveryRetryError(`no delivery ${id} in the store`);
    if (delivery.state !== 'failed') throw new DeliveryRetryError(`delivery ${id} (version ${delivery.version} to ${delivery.destination}) is ${delivery.state}, not failed; only a failed delivery is tried again`);
    await tx.deliveries.retryFailed(id);
    await tx.audit.add(delivery.studyRef, 'delivery retried', `version ${delivery.version} to ${delivery.destination} tried again after ${delivery.attempts} failed tries (last: ${delivery.lastError ?? 'none'})`, actor);
    return { ...delivery, state: 'pending', attempts: 0 };
  });
}

/** A retry that cannot be done: told to the user as it is. */
export class DeliveryRetryError extends Error {
  override readonly name = 'DeliveryRetryError';
}

async function requireStudy(store: StudyStore, id: number): Promise<StudyRecord> {
  const study = await store.studies.byIdForUpdate(id);
  if (study === null) throw new Error(`study ${id} is gone from the store`);
  return study;
}

async function requireTaken(store: StudyStore, study: StudyRecord): Promise<void> {
  const current = await requireStudy(store, study.id);
  if (current.claimedBy !== study.claimedBy || current.version !== study.version) {
    throw new TransitionRefused(REFUSALS.CLAIMED_ELSEWHERE, `study ${study.studyUid} changed while it was being reviewed (now version ${current.version}, ${current.state}); nothing was released`);
  }
}

