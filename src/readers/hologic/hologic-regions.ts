import type { ForearmRegion, HipRegion, Region, Side, SpineRange } from '../../model/regions.ts';
import { vertebraeOf } from '../../model/regions.ts';
import { BlobFault, HologicBlobError } from './blob-error.ts';
import type { SummaryRegion, SummaryRow, SummaryValues } from './results-table.ts';

export type BodyPart = 'spine' | 'hip' | 'forearm';

export interface RegionValues {
  region: Region;
  side: Side;
  values: SummaryValues;
  /** the row's Region cell, for the measurement's source */
  label: string | null;
}

/** Summary rows in the canonical regions; the dual hip's |Diff.| rows apart, never as measurements. */
export interface CanonicalRows {
  bodyPart: BodyPart;
  measurements: RegionValues[];
  differences: RegionValues[];
}

const HIP: Partial<Record<SummaryRegion, HipRegion>> = { neck: 'femoral_neck', total: 'total_hip', troch: 'trochanter', inter: 'intertrochanter', wards: 'wards' };
// APEX's forearm analysis reports the radius rows by default (research §2.3: 1/3, MID, UD, TOT).
const FOREARM: Partial<Record<SummaryRegion, ForearmRegion>> = {
  forearm_33: 'radius_33',
  forearm_mid: 'radius_mid',
  forearm_ud: 'radius_ud',
  total: 'radius_total',
};

/**
 * Maps one scan's summary rows. `scanMode` is ScanInfo's mode name (`Left Hip`, `R.Forearm`), the
 * only place a single hip or forearm names its side; `spineTotalRange` comes from the history title.
 */
export function canonicalRows(rows: readonly SummaryRow[], scanMode: string, spineTotalRange: SpineRange | null): CanonicalRows {
  const bodyPart = bodyPartOf(rows);
  const measurements: RegionValues[] = [];
  const differences: RegionValues[] = [];
  for (const row of rows) {
    const region = regionOf(row, bodyPart, spineTotalRange);
    const entry = { region, values: row.values, label: row.label };
    if (row.side === 'difference') differences.push({ ...entry, side: null });
    else measurements.push({ ...entry, side: row.side ?? singleSide(bodyPart, scanMode) });
  }
  if (bodyPart === 'spine') checkSpineRange(rows, spineTotalRange);
  return { bodyPart, measurements, differences };
}

function bodyPartOf(rows: readonly SummaryRow[]): BodyPart {
  const parts = new Set<BodyPart>();
  for (const row of rows) {
    if (/^L[1-4]$/.test(row.region)) parts.add('spine');
    if (row.region.startsWith('forearm_')) parts.add('forearm');
    if (row.region === 'neck' || row.region === 'troch' || row.region === 'inter' || row.region === 'wards') parts.add('hip');
  }
  const [only] = parts;
  if (parts.size !== 1 || only === undefined) {
    const found = parts.size === 0 ? 'no row that names the body part' : `rows of ${[...parts].join(' and ')}`;
    throw new HologicBlobError(BlobFault.INCONSISTENT, `the summary table has ${found}`);
  }
  return only;
}

function regionOf(row: SummaryRow, bodyPart: BodyPart, spineTotalRange: SpineRange | null): Region {
  switch (bodyPart) {
    case 'spine':
      if (row.region === 'total') {
        if (spineTotalRange === null) {
          throw new HologicBlobError(BlobFault.MISSING_VALUE, 'the spine Total row has no range: the history table title names none', row.line);
        }
        return spineTotalRange;
      }
      if (row.region === 'L1' || row.region === 'L2' || row.region === 'L3' || row.region === 'L4') return row.region;
      break;
    case 'hip': {
      const region = HIP[row.region];
      if (region) return region;
      break;
    }
    case 'forearm': {
      const region = FOREARM[row.region];
      if (region) return region;
      break;
    }
  }
  throw new HologicBlobError(BlobFault.INCONSISTENT, `a ${row.region} row in a ${bodyPart} table`, row.line);
}

/** The Total covers exactly the vertebrae listed: an excluded vertebra is absent from both. */
function checkSpineRange(rows: readonly SummaryRow[], range: SpineRange | null): void {
  if (range === null || !rows.some((row) => row.region === 'total')) return;
  const listed = rows.map((row) => row.region).filter((region) => region !== 'total');
  const covered = vertebraeOf(range);
  if (listed.join() !== covered.join()) {
    throw new HologicBlobError(BlobFault.INCONSISTENT, `the spine Total is ${range} but the table lists ${listed.join(', ')}`);
  }
}

function singleSide(bodyPart: BodyPart, scanMode: string): Side {
  if (bodyPart === 'spine') return null;
  const left = /\bLeft\b|\bL\./.test(scanMode);
  const right = /\bRight\b|\bR\./.test(scanMode);
  if (left === right) throw new HologicBlobError(BlobFault.INCONSISTENT, `scan mode ${JSON.stringify(scanMode)} does not name one side for a ${bodyPart} scan`);
  return left ? 'left' : 'right';
}
