import type { DiagnosticValue, Trend, TrendSeries } from '../model/classification.ts';
import type { Measurement } from '../model/study.ts';
import { bmdChange, lscFor, sameScanner, type PriorStudy } from './compare-prior.ts';
import type { ClinicalSettings } from './settings.ts';

/** The most earlier studies a trend reaches back over: enough for years of follow-up, few enough to read. */
export const MAX_TREND_PRIORS = 5;

/**
 * Clinical-rules §7 over time: the BMD of each diagnostic region and side in this study and in the
 * earlier studies of the patient on the same manufacturer and model (or a configured
 * cross-calibration), oldest first, each step significant only when |Δ| reaches the region's LSC.
 * A prior on another scanner is left out of the trend altogether: its BMD is not comparable. No
 * series without at least one comparable earlier value; no trend without a series.
 */
export function bmdTrend(
  current: { studyInstanceUid: string; studyDate: string | null; manufacturer: string | null; model: string | null; measurements: Measurement[] },
  diagnosticValues: DiagnosticValue[],
  priors: PriorStudy[],
  settings: ClinicalSettings,
): Trend | null {
  if (current.studyDate === null) return null;
  const currentDate = current.studyDate;
  const comparable = priors
    .filter((prior) => prior.studyDate !== '' && prior.studyDate < currentDate && sameScanner(current, prior, settings))
    .sort((a, b) => (a.studyDate < b.studyDate ? -1 : a.studyDate > b.studyDate ? 1 : 0))
    .slice(-MAX_TREND_PRIORS);
  if (comparable.length === 0) return null;
  const series: TrendSeries[] = [];
  for (const { region, side } of diagnosticValues) {
    const lsc = lscFor(region, settings);
    const now = current.measurements.find((m) => m.region === region && m.side === side);
    if (lsc === null || side === 'mean' || now?.bmd == null) continue;
    const values = [
      ...comparable.flatMap((prior) => {
        const bmd = prior.measurements.find((m) => m.region === region && m.side === side)?.bmd ?? null;
        return bmd === null ? [] : [{ studyInstanceUid: prior.studyInstanceUid, date: prior.studyDate, bmd }];
      }),
      { studyInstanceUid: current.studyInstanceUid, date: currentDate, bmd: now.bmd },
    ];
    if (values.length < 2) continue;
    series.push({
      region,
      side,
      lsc,
      points: values.map((value, i) => {
        const before = values[i - 1];
        return { ...value, change: before === undefined ? null : bmdChange(before.bmd, value.bmd, lsc) };
      }),
    });
  }
  return series.length === 0 ? null : { series };
}
