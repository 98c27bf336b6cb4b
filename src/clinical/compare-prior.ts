import { isSpineRange, type Region, type Side } from '../model/regions.ts';
import type { Measurement } from '../model/study.ts';
import type { BmdChange, Category } from '../model/classification.ts';
import { flag, type Flag } from '../model/flags.ts';
import type { ClinicalSettings } from './settings.ts';

/** What the comparison needs of an earlier study of the same patient. */
export interface PriorStudy {
  studyInstanceUid: string;
  studyDate: string;
  manufacturer: string | null;
  model: string | null;
  category: Category | null;
  measurements: Pick<Measurement, 'region' | 'side' | 'bmd'>[];
}

export interface ComparisonRow {
  region: Region;
  side: Side;
  priorBmd: number;
  currentBmd: number;
  deltaBmd: number;
  deltaPercent: number;
  lsc: number;
  significant: boolean;
}

export interface Comparison {
  priorStudyInstanceUid: string;
  priorDate: string;
  priorCategory: Category | null;
  /** false when the scanners differ and are not cross-calibrated: categories only */
  quantitative: boolean;
  rows: ComparisonRow[];
}

/**
 * Clinical-rules §7: the same region and side, on the same manufacturer and model (or a configured
 * cross-calibration), ΔBMD in g/cm² and %, significant only when |Δ| reaches the LSC of the region.
 * T-scores are never compared. BMD is compared in whole thousandths, as exported.
 */
export function comparePrior(
  current: { manufacturer: string | null; model: string | null; measurements: Measurement[] },
  prior: PriorStudy,
  settings: ClinicalSettings,
): { comparison: Comparison; flags: Flag[] } {
  const base = { priorStudyInstanceUid: prior.studyInstanceUid, priorDate: prior.studyDate, priorCategory: prior.category };
  if (!sameScanner(current, prior, settings)) {
    return {
      comparison: { ...base, quantitative: false, rows: [] },
      flags: [flag('NO_QUANTITATIVE_COMPARISON', `the prior study of ${prior.studyDate} was made on ${describe(prior)}, this one on ${describe(current)}: categories compared only`)],
    };
  }
  const rows: ComparisonRow[] = [];
  for (const m of current.measurements) {
    const lsc = lscFor(m.region, settings);
    if (lsc === null || m.bmd === null || m.side === 'mean') continue;
    const before = prior.measurements.find((p) => p.region === m.region && p.side === m.side);
    if (!before || before.bmd === null) continue;
    rows.push({ region: m.region, side: m.side, priorBmd: before.bmd, currentBmd: m.bmd, ...bmdChange(before.bmd, m.bmd, lsc), lsc });
  }
  return { comparison: { ...base, quantitative: true, rows }, flags: [] };
}

/** ΔBMD in g/cm² and %, in whole thousandths as exported; significant when |Δ| reaches the LSC. */
export function bmdChange(before: number, after: number, lsc: number): BmdChange {
  const delta = Math.round(after * 1000) - Math.round(before * 1000);
  return {
    deltaBmd: delta / 1000,
    deltaPercent: Math.round((delta / Math.round(before * 1000)) * 1000) / 10,
    significant: Math.abs(delta) >= Math.round(lsc * 1000),
  };
}

/** The region's configured LSC; null for a region §7 gives none (trochanter, Ward's, single vertebrae, …). */
export function lscFor(region: Region, settings: ClinicalSettings): number | null {
  if (isSpineRange(region)) return settings.lsc.spine;
  if (region === 'femoral_neck') return settings.lsc.femoral_neck;
  if (region === 'total_hip') return settings.lsc.total_hip;
  if (region === 'radius_33') return settings.lsc.radius;
  return null;
}

/** Same manufacturer and model (case and spaces at the ends aside), or a configured cross-calibration. */
export function sameScanner(a: { manufacturer: string | null; model: string | null }, b: { manufacturer: string | null; model: string | null }, settings: ClinicalSettings): boolean {
  const key = (s: { manufacturer: string | null; model: string | null }) => `${(s.manufacturer ?? '').trim().toLowerCase()}|${(s.model ?? '').trim().toLowerCase()}`;
  if (key(a) === key(b) && a.manufacturer !== null && a.model !== null) return true;
  return settings.crossCalibrated.some((pair) => {
    const [x, y] = [key(pair.scanners[0]), key(pair.scanners[1])];
    return (x === key(a) && y === key(b)) || (x === key(b) && y === key(a));
  });
}

function describe(s: { manufacturer: string | null; model: string | null }): string {
  return [s.manufacturer, s.model].filter(Boolean).join(' ') || 'an unknown scanner';
}
