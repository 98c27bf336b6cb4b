/**
 * Everything GE Lunar enCORE names, in one place.
 *
 * Sources: real enCORE 15.10 Enhanced SRs and their `<DXA_RESULTS>` copies (research notes
 * dxa-dicom-sr.md §1.3–§1.5). The result items carry stable GELUNAR code values, which the XML
 * repeats as `id`, so they are matched by code value. Scan and ROI containers are not: the same
 * ROI code value `1000-19` is `L1` under AP Spine and `Troch Diff.` under DualFemur, so scans
 * and ROIs are identified by their display names here and nowhere else.
 */
import type { HipRegion, Region, Side } from '../../model/regions.ts';
import { isSpineRange, isVertebra } from '../../model/regions.ts';

export const GE_SCHEME = 'GELUNAR';
export const GE_REPORT_ROOT = { scheme: GE_SCHEME, value: '10000' } as const;

/** GELUNAR result code values → the result names GE uses as CodeMeaning and as XML element names. */
export const GE_RESULTS = {
  '2': 'AREA',
  '3': 'BMD',
  '5': 'BMC',
  '6': 'BMD_TSCORE',
  '7': 'BMD_PYA',
  '8': 'BMD_ZSCORE',
  '9': 'BMD_PAM',
} as const;
export type GeResultName = (typeof GE_RESULTS)[keyof typeof GE_RESULTS];
export const GE_RESULT_NAMES = Object.values(GE_RESULTS) as GeResultName[];

export function geResultName(codeValue: string): GeResultName | null {
  return (GE_RESULTS as Record<string, GeResultName>)[codeValue] ?? null;
}

/** The unit each NUM result is written in since enCORE 11.1 (UCUM). T- and Z-scores are TEXT and have none. */
export const GE_RESULT_UNITS: Partial<Record<GeResultName, string>> = {
  AREA: 'cm2',
  BMD: 'g/cm2',
  BMC: 'g',
  BMD_PYA: '%',
  BMD_PAM: '%',
};

export type GeScanKind = 'spine' | 'dual_femur' | 'femur' | 'forearm';

export interface GeScan {
  kind: GeScanKind;
  /** The side a single-sided scan covers; DualFemur and the spine take it from the ROI, if at all. */
  side: Side;
}

const SCANS: Record<string, GeScan> = {
  'ap spine': { kind: 'spine', side: null },
  dualfemur: { kind: 'dual_femur', side: null },
  'left femur': { kind: 'femur', side: 'left' },
  'right femur': { kind: 'femur', side: 'right' },
  'left forearm': { kind: 'forearm', side: 'left' },
  'right forearm': { kind: 'forearm', side: 'right' },
};

export function geScan(name: string): GeScan | null {
  return SCANS[normalise(name)] ?? null;
}

/** Containers under a scan that hold earlier exams (`Trend L1-L4`, `Trend Neck Left`). */
export function isTrendContainer(name: string): boolean {
  return /^trend\b/i.test(name.trim());
}

const HIP_PARTS: Record<string, HipRegion> = {
  neck: 'femoral_neck',
  'upper neck': 'upper_neck',
  'lower neck': 'lower_neck',
  wards: 'wards',
  "ward's": 'wards',
  troch: 'trochanter',
  shaft: 'shaft',
  total: 'total_hip',
};

const FOREARM_ROIS: Record<string, Region> = {
  'radius 33%': 'radius_33',
  'radius ud': 'radius_ud',
  'radius mid': 'radius_mid',
  'radius total': 'radius_total',
};

export type GeRoiMeaning =
  | { kind: 'measurement'; region: Region; side: Side }
  | { kind: 'difference'; region: Region }
  | { kind: 'unknown' };

/** What a GE ROI name means under a given scan. */
export function geRoi(scan: GeScan, roiName: string): GeRoiMeaning {
  const name = normalise(roiName);
  switch (scan.kind) {
    case 'spine': {
      const level = name.toUpperCase().replace(/\s+/g, '');
      if (isVertebra(level) || isSpineRange(level)) return { kind: 'measurement', region: level, side: null };
      return { kind: 'unknown' };
    }
    case 'dual_femur': {
      const match = /^(.+) (left|right|mean|diff\.?)$/.exec(name);
      const region = match ? HIP_PARTS[match[1] ?? ''] : undefined;
      if (!match || !region) return { kind: 'unknown' };
      const side = match[2] ?? '';
      if (side.startsWith('diff')) return { kind: 'difference', region };
      return { kind: 'measurement', region, side: side as Side };
    }
    case 'femur': {
      const region = HIP_PARTS[name];
      return region ? { kind: 'measurement', region, side: scan.side } : { kind: 'unknown' };
    }
    case 'forearm': {
      const region = FOREARM_ROIS[name];
      return region ? { kind: 'measurement', region, side: scan.side } : { kind: 'unknown' };
    }
  }
}

function normalise(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
