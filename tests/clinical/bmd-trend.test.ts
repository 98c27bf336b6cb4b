import { describe, expect, it } from 'vitest';
import { bmdTrend, MAX_TREND_PRIORS } from '../../src/clinical/bmd-trend.ts';
import type { PriorStudy } from '../../src/clinical/compare-prior.ts';
import { DEFAULT_CLINICAL_SETTINGS } from '../../src/clinical/settings.ts';
import type { DiagnosticValue } from '../../src/model/classification.ts';
import type { Measurement } from '../../src/model/study.ts';

const IDXA = { manufacturer: 'GE Healthcare', model: 'Lunar iDXA' };
const neck = (side: 'left' | 'right', bmd: number) => ({ region: 'femoral_neck' as const, side, bmd });
const spine = (bmd: number) => ({ region: 'L1-L4' as const, side: null, bmd });

function measurement(value: { region: Measurement['region']; side: Measurement['side']; bmd: number }): Measurement {
  return { ...value, tScore: -1, zScore: 0, source: { reader: 'ge-lunar-enhanced-sr', sopInstanceUid: '1.2', path: [] } } as unknown as Measurement;
}

function prior(date: string, values: PriorStudy['measurements'], scanner = IDXA): PriorStudy {
  return { studyInstanceUid: `1.2.${date.replaceAll('-', '')}`, studyDate: date, ...scanner, category: 'osteopenia', measurements: values };
}

const DIAGNOSTIC: DiagnosticValue[] = [
  { region: 'L1-L4', side: null, score: -1.5 },
  { region: 'femoral_neck', side: 'left', score: -2.6 },
  { region: 'femoral_neck', side: 'right', score: -2.0 },
];

function current(values: { region: Measurement['region']; side: Measurement['side']; bmd: number }[], scanner = IDXA) {
  return { studyInstanceUid: '1.2.3', studyDate: '2026-10-06', ...scanner, measurements: values.map(measurement) };
}

describe('the BMD trend (clinical-rules §7 over time)', () => {
  it('two priors on the same scanner type: three values per diagnostic region and side, oldest first; only a step of at least the LSC is significant', () => {
    const trend = bmdTrend(
      current([spine(0.992), neck('left', 0.668), neck('right', 0.74)]),
      DIAGNOSTIC,
      // given latest first, as the store gives them
      [prior('2024-09-24', [spine(1.004), neck('left', 0.74), neck('right', 0.752)]), prior('2022-09-20', [spine(1.016), neck('left', 0.764), neck('right', 0.764)])],
      DEFAULT_CLINICAL_SETTINGS,
    );
    expect(trend?.series.map((s) => [s.region, s.side, s.points.map((p) => p.date)])).toEqual([
      ['L1-L4', null, ['2022-09-20', '2024-09-24', '2026-10-06']],
      ['femoral_neck', 'left', ['2022-09-20', '2024-09-24', '2026-10-06']],
      ['femoral_neck', 'right', ['2022-09-20', '2024-09-24', '2026-10-06']],
    ]);
    const left = trend!.series[1]!;
    expect(left.lsc).toBe(DEFAULT_CLINICAL_SETTINGS.lsc.femoral_neck);
    expect(left.points.map((p) => p.change)).toEqual([
      null,
      { deltaBmd: -0.024, deltaPercent: -3.1, significant: false },
      { deltaBmd: -0.072, deltaPercent: -9.7, significant: true },
    ]);
    expect(trend!.series[0]!.points.every((p) => p.change === null || !p.change.significant)).toBe(true);
  });

  it('a step exactly at the LSC is significant, one thousandth less is not', () => {
    const lsc = DEFAULT_CLINICAL_SETTINGS.lsc.femoral_neck;
    const at = bmdTrend(current([neck('left', 0.8 - lsc)]), [DIAGNOSTIC[1]!], [prior('2024-01-01', [neck('left', 0.8)])], DEFAULT_CLINICAL_SETTINGS);
    const below = bmdTrend(current([neck('left', 0.8 - lsc + 0.001)]), [DIAGNOSTIC[1]!], [prior('2024-01-01', [neck('left', 0.8)])], DEFAULT_CLINICAL_SETTINGS);
    expect(at?.series[0]?.points[1]?.change?.significant).toBe(true);
    expect(below?.series[0]?.points[1]?.change?.significant).toBe(false);
  });

  it('a prior on another manufacturer gives no trend; beside a comparable one it is left out of it', () => {
    const hologic = { manufacturer: 'HOLOGIC', model: 'Horizon Ci' };
    const values = [spine(0.992), neck('left', 0.668)];
    expect(bmdTrend(current(values), DIAGNOSTIC, [prior('2024-05-28', [spine(0.9), neck('left', 0.7)], hologic)], DEFAULT_CLINICAL_SETTINGS)).toBeNull();
    const mixed = bmdTrend(current(values), DIAGNOSTIC, [prior('2025-05-28', [spine(0.9), neck('left', 0.7)], hologic), prior('2023-05-28', [spine(1.0), neck('left', 0.7)])], DEFAULT_CLINICAL_SETTINGS);
    expect(mixed?.series.map((s) => s.points.map((p) => p.date))).toEqual([
      ['2023-05-28', '2026-10-06'],
      ['2023-05-28', '2026-10-06'],
    ]);
  });

  it('a cross-calibrated pair of scanners counts as one type', () => {
    const prodigy = { manufacturer: 'GE Healthcare', model: 'Lunar Prodigy' };
    const settings = { ...DEFAULT_CLINICAL_SETTINGS, crossCalibrated: [{ scanners: [IDXA, prodigy] as [typeof IDXA, typeof IDXA] }] };
    const trend = bmdTrend(current([neck('left', 0.668)]), [DIAGNOSTIC[1]!], [prior('2024-01-01', [neck('left', 0.7)], prodigy)], settings);
    expect(trend?.series[0]?.points).toHaveLength(2);
    expect(bmdTrend(current([neck('left', 0.668)]), [DIAGNOSTIC[1]!], [prior('2024-01-01', [neck('left', 0.7)], prodigy)], DEFAULT_CLINICAL_SETTINGS)).toBeNull();
  });

  it('no series for a region the prior did not measure, for a region without an LSC, or for the mean of both hips; the reach is limited', () => {
    const trochanter: DiagnosticValue = { region: 'trochanter', side: 'left', score: -2 };
    const mean: DiagnosticValue = { region: 'femoral_neck', side: 'mean', score: -2 };
    const trend = bmdTrend(
      current([spine(0.99), neck('left', 0.7), { region: 'trochanter', side: 'left', bmd: 0.6 }, { region: 'femoral_neck', side: 'mean', bmd: 0.7 }]),
      [DIAGNOSTIC[0]!, DIAGNOSTIC[1]!, trochanter, mean],
      [prior('2024-01-01', [neck('left', 0.71), { region: 'trochanter', side: 'left', bmd: 0.6 }, { region: 'femoral_neck', side: 'mean', bmd: 0.7 }])],
      DEFAULT_CLINICAL_SETTINGS,
    );
    expect(trend?.series.map((s) => `${s.region} ${s.side}`)).toEqual(['femoral_neck left']);
    const many = Array.from({ length: MAX_TREND_PRIORS + 3 }, (_, i) => prior(`${2010 + i}-03-01`, [neck('left', 0.8)]));
    expect(bmdTrend(current([neck('left', 0.7)]), [DIAGNOSTIC[1]!], many, DEFAULT_CLINICAL_SETTINGS)?.series[0]?.points).toHaveLength(MAX_TREND_PRIORS + 1);
  });
});
