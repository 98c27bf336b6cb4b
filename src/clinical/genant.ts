import { VFA_LEVELS, type VfaLevel, type VfaVertebra } from '../model/study.ts';
import type { VertebraAssessment } from '../model/classification.ts';

type Grade = 0 | 1 | 2 | 3;
type Shape = 'wedge' | 'biconcave' | 'crush';

/** Genant's semi-quantitative grade from a height reduction (clinical-rules §6); 20 %, 25 % and 40 % belong to the higher grade. */
export function genantGrade(reduction: number): Grade {
  // Rounded to 1e-9 so that 1 − 16/20 counts as the 20 % it is, not 19.999999999999996 %.
  const r = Math.round(reduction * 1e9) / 1e9;
  if (r >= 0.4) return 3;
  if (r >= 0.25) return 2;
  if (r >= 0.2) return 1;
  return 0;
}

interface Reductions {
  wedge: number | null;
  biconcave: number | null;
}

function ownReductions(v: VfaVertebra): Reductions {
  const hp = v.posteriorMm;
  if (!v.evaluable || hp === null) return { wedge: null, biconcave: null };
  return {
    wedge: v.anteriorMm === null ? null : Math.max(0, (hp - v.anteriorMm) / hp),
    biconcave: v.middleMm === null ? null : Math.max(0, (hp - v.middleMm) / hp),
  };
}

/**
 * A neighbour is a crush reference when nothing marks it abnormal: evaluable, a posterior height,
 * no reader grade above 0, and grade 0 from its own shape. The first pass judges shape by wedge and
 * biconcavity alone; the second also drops neighbours the first pass found crushed, so a crushed
 * vertebra never serves as the reference of the one beside it.
 */
function isReference(v: VfaVertebra, crushed: ReadonlySet<VfaLevel>): boolean {
  if (!v.evaluable || v.posteriorMm === null || (v.readerGrade ?? 0) > 0 || crushed.has(v.level)) return false;
  const { wedge, biconcave } = ownReductions(v);
  return genantGrade(wedge ?? 0) === 0 && genantGrade(biconcave ?? 0) === 0;
}

/** Mean posterior height of the nearest reference vertebra above and the nearest below (one at the ends of T4–L4). */
function referencePosterior(level: VfaLevel, byLevel: Map<VfaLevel, VfaVertebra>, crushed: ReadonlySet<VfaLevel>): number | null {
  const index = VFA_LEVELS.indexOf(level);
  const nearest = (step: 1 | -1): number | null => {
    for (let i = index + step; i >= 0 && i < VFA_LEVELS.length; i += step) {
      const candidate = byLevel.get(VFA_LEVELS[i] as VfaLevel);
      if (candidate && isReference(candidate, crushed)) return candidate.posteriorMm;
    }
    return null;
  };
  const heights = [nearest(-1), nearest(1)].filter((h): h is number => h !== null);
  return heights.length === 0 ? null : heights.reduce((a, b) => a + b, 0) / heights.length;
}

function crushReduction(v: VfaVertebra, byLevel: Map<VfaLevel, VfaVertebra>, crushed: ReadonlySet<VfaLevel>): number | null {
  if (!v.evaluable || v.posteriorMm === null) return null;
  const reference = referencePosterior(v.level, byLevel, crushed);
  return reference === null ? null : Math.max(0, (reference - v.posteriorMm) / reference);
}

/** Every vertebra of a VFA read, graded from its heights and its neighbours, with the reader's grade winning. */
export function assessVertebrae(vfa: VfaVertebra[]): VertebraAssessment[] {
  const byLevel = new Map(vfa.map((v) => [v.level, v]));
  const firstPass = new Set(vfa.filter((v) => genantGrade(crushReduction(v, byLevel, new Set()) ?? 0) > 0).map((v) => v.level));
  return [...vfa]
    .sort((a, b) => VFA_LEVELS.indexOf(a.level) - VFA_LEVELS.indexOf(b.level))
    .map((v) => {
      const own = ownReductions(v);
      const crush = crushReduction(v, byLevel, firstPass);
      const candidates: [Shape, number | null][] = [['wedge', own.wedge], ['biconcave', own.biconcave], ['crush', crush]];
      const measured = candidates.filter((c): c is [Shape, number] => c[1] !== null);
      const worst = measured.sort((a, b) => b[1] - a[1])[0];
      const computedGrade = v.evaluable && worst ? genantGrade(worst[1]) : null;
      const readerGrade = v.evaluable ? v.readerGrade : null;
      return {
        level: v.level,
        evaluable: v.evaluable,
        readerGrade,
        computedGrade,
        grade: readerGrade ?? computedGrade,
        reductionPercent: worst ? Math.round(worst[1] * 1000) / 10 : null,
        shape: computedGrade ? (worst?.[0] ?? null) : null,
      };
    });
}
