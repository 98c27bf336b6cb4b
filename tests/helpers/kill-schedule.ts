import { seededRandom, shuffled } from '../../src/fixtures/deterministic.ts';
import { CRASH_POINTS, type CrashPointName } from '../../src/watch/crash-point.ts';

/** Which process a round kills: the service, or `dexa review approve` run beside a stopped service. */
export type RoundKind = 'watch' | 'approve';

export interface PlannedRound {
  kind: RoundKind;
  point: CrashPointName;
  /** the crash happens the n-th time the point is reached */
  n: number;
}

/** What a hit at a point leaves for the next start to finish, and the point that finishing reaches. */
export const LEAVES: Partial<Record<CrashPointName, CrashPointName>> = {
  'intake:committed': 'recovery:move-finished',
  'intake:moved': 'recovery:move-finished',
  'move:copied': 'recovery:move-finished',
  'letters:temporary-written': 'recovery:stray-removed',
  'supersede:moved': 'recovery:stray-removed',
  'study:committing': 'recovery:stray-removed',
  'letters:recorded': 'recovery:letter-finished',
  'letters:renamed': 'recovery:letter-finished',
  'review:recorded': 'recovery:letter-finished',
};

/** Points reached many times per study (per file or per letter) may be hit on a later time; others the first. */
const REPEATED: readonly CrashPointName[] = ['intake:read', 'intake:committed', 'intake:moved', 'move:copied', 'letters:temporary-written', 'letters:renamed'];

/** Points of `dexa review approve`: its letters, the drafts' move, its commit. */
export const APPROVE_POINTS: readonly CrashPointName[] = ['letters:temporary-written', 'supersede:moved', 'review:recorded', 'letters:renamed'];

/**
 * The seeded base schedule: every point of the service once in random order (those that need
 * letters already made come in the second half), `review:recorded` and one more approval point,
 * and `extra` more rounds at random points. Recovery rounds are not in it: they are put in after
 * a round that leaves something to recover.
 */
export function baseSchedule(random: () => number, options: { crossDevice: boolean; extra: number }): PlannedRound[] {
  const late: CrashPointName[] = ['supersede:moved', 'move:renamed'];
  const service = CRASH_POINTS.filter((point) => !point.startsWith('recovery:') && point !== 'review:recorded' && (options.crossDevice || point !== 'move:copied'));
  const round = (kind: RoundKind, point: CrashPointName): PlannedRound => ({ kind, point, n: REPEATED.includes(point) ? 1 + Math.floor(random() * 2) : 1 });
  const early = shuffled(service.filter((point) => !late.includes(point)), random).map((point) => round('watch', point));
  const extras = Array.from({ length: options.extra }, () => round('watch', service[Math.floor(random() * service.length)]!));
  const approvals = [round('approve', 'review:recorded'), round('approve', APPROVE_POINTS[Math.floor(random() * APPROVE_POINTS.length)]!)];
  return [...early, ...shuffled([...late.map((point) => round('watch', point)), ...approvals, ...extras], random)];
}
