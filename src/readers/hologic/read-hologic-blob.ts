import type { SpineRange } from '../../model/regions.ts';
import { type BlobLimits, DEFAULT_BLOB_LIMITS, requireSection, tokenizeBlob } from './blob-tokens.ts';
import { type HologicPatient, type HologicScan, readPatient, readReferenceDatabase, readScan, readScannerWhoClass, spineRangeOf, type WhoClass } from './hologic-sections.ts';
import { readResultsTables, type ResultsTables } from './results-table.ts';

/** Everything a results blob (spine, hip, dual hip, forearm) says, not yet mapped to the canonical model. */
export interface HologicBlobContent {
  patient: HologicPatient;
  scan: HologicScan;
  tables: ResultsTables;
  referenceDatabase: string;
  scannerWhoClass: WhoClass;
  /** the spine Total's range from the history table's title; null for other scans or when it names none */
  spineTotalRange: SpineRange | null;
}

/** Reads a decoded results blob; IVA blobs (no Results section) are refused here and must be recognised before. */
export function readHologicBlob(text: string, limits: BlobLimits = DEFAULT_BLOB_LIMITS): HologicBlobContent {
  const tokens = tokenizeBlob(text, limits);
  const tables = readResultsTables(requireSection(tokens, 'Results'));
  // Only a spine history title names a range; what a hip's or forearm's says is not interpreted.
  const isSpine = tables.summary?.some((row) => /^L[1-4]$/.test(row.region)) ?? false;
  return {
    patient: readPatient(tokens),
    scan: readScan(tokens),
    tables,
    referenceDatabase: readReferenceDatabase(tokens),
    scannerWhoClass: readScannerWhoClass(tokens),
    spineTotalRange: isSpine && tables.history ? spineRangeOf(tables.history.title) : null,
  };
}
