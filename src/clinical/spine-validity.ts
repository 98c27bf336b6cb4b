import { isSpineRange, isVertebra, vertebraeOf, type SpineRange } from '../model/regions.ts';
import type { Measurement } from '../model/study.ts';
import type { DiagnosticValue } from '../model/classification.ts';
import { flag, type Flag } from '../model/flags.ts';
import { toTenths } from './score-tenths.ts';

export type ScoreKind = 'tScore' | 'zScore';

export interface SpineResult {
  value: DiagnosticValue | null;
  flags: Flag[];
}

/**
 * Clinical-rules §3.1–§3.2: the scanner's L1-L4; else the widest exported combined range (ties: the
 * lowest score, so a subset never hides the worse one) with SPINE_SUBSET_USED; single vertebrae
 * alone are never diagnostic. Nothing is recomputed.
 */
export function spineValue(measurements: Measurement[], kind: ScoreKind): SpineResult {
  const spine = measurements.filter((m) => m.side === null && (isSpineRange(m.region) || isVertebra(m.region)));
  const ranges = spine.filter((m) => isSpineRange(m.region) && m[kind] !== null);
  const full = ranges.find((m) => m.region === 'L1-L4');
  if (full) return { value: toValue(full, kind), flags: [] };
  if (ranges.length > 0) {
    const width = (m: Measurement) => vertebraeOf(m.region as SpineRange).length;
    const widest = [...ranges].sort((a, b) => width(b) - width(a) || (a[kind] as number) - (b[kind] as number))[0] as Measurement;
    return {
      value: toValue(widest, kind),
      flags: [flag('SPINE_SUBSET_USED', `L1-L4 was not exported; ${widest.region} used for the spine`, widest.region)],
    };
  }
  if (spine.some((m) => isVertebra(m.region) && m[kind] !== null)) {
    return {
      value: null,
      flags: [flag('SPINE_REANALYSIS_NEEDED', 'only single vertebrae were exported; the spine needs re-analysis on the scanner before it can be used')],
    };
  }
  return { value: null, flags: [] };
}

/**
 * Clinical-rules §3.3: adjacent vertebrae whose T-scores differ by more than 1.0. The vertebra named
 * is the higher of the pair, the one a structural change (fracture, osteophyte) typically raises.
 */
export function spineExclusionSuggestions(measurements: Measurement[]): Flag[] {
  const byLevel = new Map(measurements.filter((m) => isVertebra(m.region) && m.side === null).map((m) => [m.region, m]));
  const named = new Map<string, Flag>();
  for (const [lower, upper] of [['L1', 'L2'], ['L2', 'L3'], ['L3', 'L4']] as const) {
    const a = byLevel.get(lower);
    const b = byLevel.get(upper);
    const kind: ScoreKind | null = a?.tScore != null && b?.tScore != null ? 'tScore' : a?.zScore != null && b?.zScore != null ? 'zScore' : null;
    if (!a || !b || kind === null) continue;
    const difference = toTenths(a[kind] as number) - toTenths(b[kind] as number);
    if (Math.abs(difference) <= 10) continue;
    const [high, low] = difference > 0 ? [a, b] : [b, a];
    const label = kind === 'tScore' ? 'T' : 'Z';
    if (!named.has(high.region)) {
      const message = `${high.region} (${label} ${high[kind]}) differs by more than 1.0 from ${low.region} (${label} ${low[kind]}); consider excluding it on the scanner`;
      named.set(
        high.region,
        flag('SPINE_EXCLUSION_SUGGESTED', message, high.region, {
          variant: 'outlier',
          details: { scoreKind: label, score: high[kind] as number, neighbour: low.region, neighbourScore: low[kind] as number },
        }),
      );
    }
  }
  return [...named.values()];
}

function toValue(m: Measurement, kind: ScoreKind): DiagnosticValue {
  return { region: m.region, side: m.side, score: m[kind] as number };
}
