import { describe, expect, it } from 'vitest';
import { comparePrior, type PriorStudy } from '../../src/clinical/compare-prior.ts';
import { ClinicalSettingsSchema, DEFAULT_CLINICAL_SETTINGS } from '../../src/clinical/settings.ts';
import type { Region, Side } from '../../src/model/regions.ts';
import { measurement } from '../helpers/study-builder.ts';

const scanner = { manufacturer: 'GE Healthcare', model: 'Lunar iDXA' };
const withBmd = (region: Region, side: Side, bmd: number) => ({ ...measurement([region, side, -1, 0]), bmd });
const prior = (rows: [Region, Side, number][], over: Partial<PriorStudy> = {}): PriorStudy => ({
  studyInstanceUid: '1.2.9', studyDate: '2025-06-01', ...scanner, category: 'osteopenia',
  measurements: rows.map(([region, side, bmd]) => ({ region, side, bmd })), ...over,
});

describe('comparison with a prior study (clinical-rules §7)', () => {
  it.each([
    ['femoral_neck', 0.800, 0.770, true], // Δ −0.030 = LSC femoral neck
    ['femoral_neck', 0.800, 0.771, false], // Δ −0.029
    ['total_hip', 0.900, 0.924, true], // Δ +0.024 = LSC total hip
    ['total_hip', 0.900, 0.923, false],
    ['L1-L4', 1.000, 0.967, true], // Δ −0.033 = LSC spine
    ['L1-L4', 1.000, 0.968, false],
    ['radius_33', 0.700, 0.680, true], // Δ −0.020 = LSC radius
    ['radius_33', 0.700, 0.681, false],
  ] as [Region, number, number, boolean][])('%s %d → %d: significant %s', (region, before, after, significant) => {
    const side: Side = region === 'L1-L4' ? null : 'left';
    const { comparison, flags } = comparePrior({ ...scanner, measurements: [withBmd(region, side, after)] }, prior([[region, side, before]]), DEFAULT_CLINICAL_SETTINGS);
    expect(flags).toEqual([]);
    expect(comparison.quantitative).toBe(true);
    expect(comparison.rows).toHaveLength(1);
    expect(comparison.rows[0]).toMatchObject({ significant, deltaBmd: Math.round((after - before) * 1000) / 1000 });
  });

  it('compares only the same region and side, never regions without an LSC or the bilateral mean', () => {
    const current = [withBmd('femoral_neck', 'left', 0.7), withBmd('femoral_neck', 'right', 0.7), withBmd('wards', 'left', 0.5), withBmd('total_hip', 'mean', 0.8)];
    const { comparison } = comparePrior({ ...scanner, measurements: current }, prior([['femoral_neck', 'left', 0.8], ['wards', 'left', 0.6], ['total_hip', 'mean', 0.9]]), DEFAULT_CLINICAL_SETTINGS);
    expect(comparison.rows.map((row) => `${row.region}/${row.side}`)).toEqual(['femoral_neck/left']);
    expect(comparison.rows[0]?.deltaPercent).toBe(-12.5);
  });

  it('a prior from another manufacturer or model is compared by category only, and held', () => {
    for (const other of [{ manufacturer: 'HOLOGIC', model: 'Horizon A' }, { manufacturer: 'GE Healthcare', model: 'Lunar Prodigy' }]) {
      const { comparison, flags } = comparePrior({ ...scanner, measurements: [withBmd('femoral_neck', 'left', 0.7)] }, prior([['femoral_neck', 'left', 0.8]], other), DEFAULT_CLINICAL_SETTINGS);
      expect(comparison).toMatchObject({ quantitative: false, rows: [], priorCategory: 'osteopenia' });
      expect(flags.map((f) => [f.code, f.severity])).toEqual([['NO_QUANTITATIVE_COMPARISON', 'review']]);
    }
  });

  it('a configured cross-calibration allows the comparison', () => {
    const settings = ClinicalSettingsSchema.parse({ crossCalibrated: [{ scanners: [scanner, { manufacturer: 'GE Healthcare', model: 'Lunar Prodigy' }] }] });
    const { comparison } = comparePrior({ ...scanner, measurements: [withBmd('femoral_neck', 'left', 0.7)] }, prior([['femoral_neck', 'left', 0.8]], { model: 'Lunar Prodigy' }), settings);
    expect(comparison.quantitative).toBe(true);
  });
});
