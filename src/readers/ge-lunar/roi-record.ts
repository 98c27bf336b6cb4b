import { quoteInput, shortInput } from '../../model/quote-input.ts';
import type { GeResultName } from './vocabulary.ts';

/** One GE ROI as written in the export, before any interpretation: names and raw strings. */
export interface GeRoiRecord {
  scan: string;
  roi: string;
  values: Partial<Record<GeResultName, string>>;
  units: Partial<Record<GeResultName, string>>;
}

export function roiKey(record: { scan: string; roi: string }): string {
  return `${record.scan.trim().toLowerCase()}|${record.roi.trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

export function describeRoi(record: { scan: string; roi: string }): string {
  return `ROI ${quoteInput(record.roi)} (${shortInput(record.scan)})`;
}
