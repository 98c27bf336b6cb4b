/**
 * The study lifecycle. A study is `received` while its instances come in and until its first
 * version is made; each version is assembled (merged, classified, its letters rendered) and
 * committed as `held` (for review) or `released`, or `amended` when an earlier version had
 * already gone out. A held version is `approved` or `rejected` by a reviewer. A released,
 * approved or amended version is `delivered` once every configured destination has it. A new
 * instance, context or prior makes the study due again: its next version supersedes the current
 * one (whose letters move to superseded/). Every transition is one store operation in one
 * transaction that checks the state and version it expects, with its audit entry.
 */
export const STUDY_STATES = ['received', 'held', 'released', 'approved', 'rejected', 'amended', 'delivered'] as const;
export type StudyState = (typeof STUDY_STATES)[number];

/** The states each reviewer or worker transition starts from. */
export const TRANSITIONS = {
  approve: { from: ['held'], to: 'approved' },
  reject: { from: ['held'], to: 'rejected' },
  deliver: { from: ['released', 'approved', 'amended'], to: 'delivered' },
} as const satisfies Record<string, { from: readonly StudyState[]; to: StudyState }>;
export type Transition = keyof typeof TRANSITIONS;

/** States in which the study's current letters are out (in letters/): a new release amends them. */
export const OUT_STATES: readonly StudyState[] = ['released', 'approved', 'amended', 'delivered'];

/** What a newly assembled version becomes. */
export function assembledState(releasable: boolean, releasedBefore: boolean): 'held' | 'released' | 'amended' {
  if (!releasable) return 'held';
  return releasedBefore ? 'amended' : 'released';
}

export const REFUSALS = {
  /** the study is not in a state the transition starts from */
  WRONG_STATE: 'WRONG_STATE',
  /** the version acted on is no longer the study's current one */
  STALE_VERSION: 'STALE_VERSION',
  /** new input arrived: a new version is being made */
  NEW_VERSION_PENDING: 'NEW_VERSION_PENDING',
  /** another instance took the study to assemble it */
  CLAIMED_ELSEWHERE: 'CLAIMED_ELSEWHERE',
} as const;
export type RefusalCode = (typeof REFUSALS)[keyof typeof REFUSALS];

/** A transition the study's current state or version does not allow; nothing was changed. */
export class TransitionRefused extends Error {
  override readonly name = 'TransitionRefused';
  readonly code: RefusalCode;
  constructor(code: RefusalCode, message: string) {
    super(message);
    this.code = code;
  }
}
