import { z } from 'zod';

export const VERTEBRAE = ['L1', 'L2', 'L3', 'L4'] as const;
export const HIP_REGIONS = ['femoral_neck', 'total_hip', 'trochanter', 'intertrochanter', 'wards', 'upper_neck', 'lower_neck', 'shaft'] as const;
export const FOREARM_REGIONS = ['radius_33', 'radius_mid', 'radius_ud', 'radius_total'] as const;

export type Vertebra = (typeof VERTEBRAE)[number];
export type HipRegion = (typeof HIP_REGIONS)[number];
export type ForearmRegion = (typeof FOREARM_REGIONS)[number];
/** A combined lumbar range such as `L1-L4` or `L2-L3`: lower level first, at least two levels. */
export type SpineRange = `L${1 | 2 | 3}-L${2 | 3 | 4}`;
export type Region = Vertebra | SpineRange | HipRegion | ForearmRegion;

const SPINE_RANGE_PATTERN = /^L([1-4])-L([1-4])$/;

export function isSpineRange(value: string): value is SpineRange {
  const match = SPINE_RANGE_PATTERN.exec(value);
  return match !== null && Number(match[1]) < Number(match[2]);
}

export function isVertebra(value: string): value is Vertebra {
  return (VERTEBRAE as readonly string[]).includes(value);
}

/** The vertebrae a spine region covers: `L2-L4` covers L2, L3 and L4. */
export function vertebraeOf(region: Vertebra | SpineRange): Vertebra[] {
  if (isVertebra(region)) return [region];
  const match = SPINE_RANGE_PATTERN.exec(region);
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  return VERTEBRAE.filter((_, index) => index + 1 >= from && index + 1 <= to);
}

export const RegionSchema = z.custom<Region>(
  (value) =>
    typeof value === 'string' &&
    (isVertebra(value) ||
      isSpineRange(value) ||
      (HIP_REGIONS as readonly string[]).includes(value) ||
      (FOREARM_REGIONS as readonly string[]).includes(value)),
  { message: 'not a known region' },
);

export const SideSchema = z.enum(['left', 'right', 'mean']).nullable();
export type Side = z.infer<typeof SideSchema>;

/** Fixed reporting order: spine (ranges before single levels), hip, forearm; left, right, mean. */
export function regionOrder(region: Region): number {
  if (isSpineRange(region)) {
    const [from, to] = vertebraeOf(region).map((level) => VERTEBRAE.indexOf(level));
    return (4 - ((to ?? 0) - (from ?? 0))) * 10 + (from ?? 0);
  }
  if (isVertebra(region)) return 100 + VERTEBRAE.indexOf(region);
  const hip = (HIP_REGIONS as readonly string[]).indexOf(region);
  if (hip >= 0) return 200 + hip;
  return 300 + (FOREARM_REGIONS as readonly string[]).indexOf(region);
}

export function sideOrder(side: Side): number {
  return side === null ? 0 : ['left', 'right', 'mean'].indexOf(side) + 1;
}
