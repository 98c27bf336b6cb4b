import type { Category, ScoringPath } from '../model/classification.ts';
import { flag, type Flag } from '../model/flags.ts';
import { fromTenths, toTenths } from './score-tenths.ts';

const T_NORMAL = -10;
const T_OSTEOPOROSIS = -25;
const Z_BELOW_EXPECTED = -20;

/** Clinical-rules §5: the WHO category on the T path, the age comparison on the Z and paediatric paths. */
export function categorise(path: ScoringPath, indexScore: number, qualifyingFracture: boolean): Category {
  const index = toTenths(indexScore);
  if (path !== 'T') return index <= Z_BELOW_EXPECTED ? 'below_expected_for_age' : 'within_expected_for_age';
  if (index <= T_OSTEOPOROSIS) return qualifyingFracture ? 'severe_osteoporosis' : 'osteoporosis';
  if (index < T_NORMAL) return 'osteopenia';
  return 'normal';
}

/** NHG's binary view for the GP, next to the WHO category: T ≤ −2,5 is osteoporose. */
export function nhgBinary(path: ScoringPath, indexScore: number): 'osteoporose' | 'geen_osteoporose' | null {
  if (path !== 'T') return null;
  return toTenths(indexScore) <= T_OSTEOPOROSIS ? 'osteoporose' : 'geen_osteoporose';
}

/**
 * BOUNDARY (information): the index within 0.1 of a cut-off of its path: −1.0 and −2.5 on the T path;
 * on the Z and paediatric paths, whose only cut-off is −2.0, within 0.1 of −2.0.
 */
export function boundaryFlag(path: ScoringPath, indexScore: number): Flag | null {
  const index = toTenths(indexScore);
  const cutOffs = path === 'T' ? [T_NORMAL, T_OSTEOPOROSIS] : [Z_BELOW_EXPECTED];
  const near = cutOffs.find((cutOff) => Math.abs(index - cutOff) <= 1);
  if (near === undefined) return null;
  const label = path === 'T' ? 'T' : 'Z';
  return flag('BOUNDARY', `index ${label} ${fromTenths(index).toFixed(1)} lies within 0.1 of the cut-off ${fromTenths(near).toFixed(1)}`);
}

/** Any Z ≤ −2.0 among the diagnostic values, on either path. */
export function secondaryCauseFlag(zScores: { region: string; side: string | null; score: number }[]): Flag | null {
  const low = zScores.filter((value) => toTenths(value.score) <= Z_BELOW_EXPECTED);
  if (low.length === 0) return null;
  const where = low.map((value) => `${value.region}${value.side ? ` ${value.side}` : ''} Z ${value.score.toFixed(1)}`).join(', ');
  return flag('SECONDARY_CAUSE_WORKUP', `Z-score at or below -2.0 (${where}): look for secondary causes`);
}
