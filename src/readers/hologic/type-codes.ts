/**
 * Everything Hologic APEX codes in its ResultsTable, in one place.
 *
 * Source: research notes dxa-dicom-sr.md §2.2, codes stable across 686 real blobs (APEX 13.2–13.6.1.4).
 * Cells are read by these codes, never by the header text, which is HTML and changes between versions.
 * Codes not listed there are unknown and refused. The hip's Troch, Inter and Wards rows (11–13)
 * were not among those blobs: their codes are inferred (see INFERRED_ROW_LABELS) and each such row
 * is read only when its Region cell names it too.
 */

export const TABLE_TYPES = {
  1: 'summary',
  2: 'history',
  8: 'frax',
} as const;
export type TableKind = (typeof TABLE_TYPES)[keyof typeof TABLE_TYPES];

export const COLUMN_TYPES = {
  1: 'region',
  2: 'areaCm2',
  3: 'bmd',
  4: 'bmcGrams',
  5: 'tScore',
  6: 'zScore',
  7: 'peakReferencePercent',
  13: 'ageMatchedPercent',
  16: 'scanDate',
  17: 'age',
  18: 'changeVsBaseline',
  19: 'changeVsPrevious',
  20: 'fraxTitle',
  32: 'withoutPriorFracture',
  33: 'withPriorFracture',
  75: 'fraxNotReported',
} as const;
export type ColumnKind = (typeof COLUMN_TYPES)[keyof typeof COLUMN_TYPES];

export const ROW_TYPES = {
  1: 'header',
  3: 'total',
  4: 'history',
  5: 'L1',
  6: 'L2',
  7: 'L3',
  8: 'L4',
  10: 'neck',
  11: 'troch',
  12: 'inter',
  13: 'wards',
  14: 'forearm_33',
  15: 'forearm_mid',
  16: 'forearm_ud',
  71: 'majorOsteoporotic',
  72: 'hipFracture',
  73: 'fraxText',
  112: 'riskFactorsTitle',
  133: 'left',
  134: 'right',
  135: 'mean',
  136: 'difference',
} as const;
export type RowKind = (typeof ROW_TYPES)[keyof typeof ROW_TYPES];

/**
 * Row codes no real blob showed: APEX numbers the hip's sub-regions after Neck (10) in its own
 * order NECK, TROCH, INTER, WARDS (research §2.3), and 11–13 are the gap before the forearm's 14.
 * A guess must not turn into a measurement of the wrong region, so the row's Region cell has to
 * agree; a row that does not is refused.
 */
export const INFERRED_ROW_LABELS: Partial<Record<RowKind, RegExp>> = {
  troch: /^Troch\.?$/i,
  inter: /^Inter\.?$/i,
  wards: /^Wards?('s)?\.?$/i,
};

/** Which row and column kinds each table type may hold. */
export const TABLE_LAYOUT: Record<TableKind, { rows: readonly RowKind[]; columns: readonly ColumnKind[] }> = {
  summary: {
    rows: ['header', 'total', 'L1', 'L2', 'L3', 'L4', 'neck', 'troch', 'inter', 'wards', 'forearm_33', 'forearm_mid', 'forearm_ud', 'left', 'right', 'mean', 'difference'],
    columns: ['region', 'areaCm2', 'bmcGrams', 'bmd', 'tScore', 'peakReferencePercent', 'zScore', 'ageMatchedPercent'],
  },
  history: {
    rows: ['header', 'history'],
    columns: ['scanDate', 'age', 'bmd', 'tScore', 'changeVsBaseline', 'changeVsPrevious', 'region'],
  },
  frax: {
    rows: ['header', 'majorOsteoporotic', 'hipFracture', 'riskFactorsTitle', 'fraxText'],
    columns: ['fraxTitle', 'withoutPriorFracture', 'withPriorFracture', 'fraxNotReported'],
  },
};

export function tableKind(code: number): TableKind | null {
  return (TABLE_TYPES as Record<number, TableKind>)[code] ?? null;
}

export function columnKind(code: number): ColumnKind | null {
  return (COLUMN_TYPES as Record<number, ColumnKind>)[code] ?? null;
}

export function rowKind(code: number): RowKind | null {
  return (ROW_TYPES as Record<number, RowKind>)[code] ?? null;
}
