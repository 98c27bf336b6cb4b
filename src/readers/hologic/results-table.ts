import { parseDecimal } from '../parse-decimal.ts';
import { BlobFault, HologicBlobError } from './blob-error.ts';
import type { BlobSection } from './blob-tokens.ts';
import { type GridRow, readResultsGrids, type ResultsGrid } from './results-grid.ts';
import { cellOf, notANumber, numberIn } from './table-cells.ts';
import { type ColumnKind, INFERRED_ROW_LABELS } from './type-codes.ts';
import { type FraxTable, readFraxTable } from './frax-table.ts';
import { parseUsDate } from './us-date.ts';

export type SummaryRegion = 'L1' | 'L2' | 'L3' | 'L4' | 'total' | 'neck' | 'troch' | 'inter' | 'wards' | 'forearm_33' | 'forearm_mid' | 'forearm_ud';
/** Dual hip rows under Neck or Total; `difference` is |Diff.|, never a measurement. */
export type DualHipSide = 'left' | 'right' | 'mean' | 'difference';

export interface SummaryValues {
  areaCm2: number | null;
  bmcGrams: number | null;
  bmd: number | null;
  tScore: number | null;
  peakReferencePercent: number | null;
  zScore: number | null;
  ageMatchedPercent: number | null;
}

export interface SummaryRow {
  region: SummaryRegion;
  /** null for a single scan; the dual hip's side (or |Diff.|) under its Neck or Total row */
  side: DualHipSide | null;
  /** the Region cell as written, for messages only */
  label: string | null;
  values: SummaryValues;
  line: number;
}

export interface HistoryRow {
  scanDate: { year: number; month: number; day: number } | null;
  age: number | null;
  bmd: number | null;
  tScore: number | null;
  changeVsBaseline: Change | null;
  changeVsPrevious: Change | null;
  region: string | null;
  line: number;
}

/** `6.2%*` → 6.2 percent, significant; `0.031` → 0.031 g/cm². */
export interface Change {
  value: number;
  unit: 'percent' | 'g/cm2';
  significant: boolean;
}

export interface ResultsTables {
  summary: readonly SummaryRow[] | null;
  history: { title: string; rows: readonly HistoryRow[] } | null;
  frax: FraxTable | null;
}

const SUMMARY_NUMBERS = ['areaCm2', 'bmcGrams', 'bmd', 'tScore', 'peakReferencePercent', 'zScore', 'ageMatchedPercent'] as const;

/** The tables of a Results section, each read by its table type; two tables of one type are an error. */
export function readResultsTables(section: BlobSection): ResultsTables {
  const grids = readResultsGrids(section);
  const only = (kind: ResultsGrid['kind']): ResultsGrid | null => {
    const found = grids.filter((grid) => grid.kind === kind);
    if (found.length > 1) {
      throw new HologicBlobError(BlobFault.INCONSISTENT, `${found.length} ${kind} tables (${found.map((grid) => `ResultsTable${grid.number}`).join(', ')})`);
    }
    return found[0] ?? null;
  };
  const summary = only('summary');
  const history = only('history');
  const frax = only('frax');
  return {
    summary: summary ? summaryRows(summary) : null,
    history: history ? { title: history.title, rows: historyRows(history) } : null,
    frax: frax ? readFraxTable(frax) : null,
  };
}

function summaryRows(grid: ResultsGrid): SummaryRow[] {
  const rows: SummaryRow[] = [];
  // The dual hip writes Neck and Total (and any hip sub-region) as headings with blank cells, then its Left/Right/Mean/|Diff.| rows.
  let heading: { region: SummaryRegion; row: GridRow; sides: number } | null = null;
  const closeHeading = (): void => {
    if (heading && heading.sides === 0) rows.push(summaryRow(grid, heading.row, heading.region, null));
    heading = null;
  };
  for (const row of grid.rows) {
    switch (row.kind) {
      case 'header':
        continue;
      case 'left':
      case 'right':
      case 'mean':
      case 'difference': {
        if (heading === null) {
          throw new HologicBlobError(BlobFault.INCONSISTENT, `ResultsTable${grid.number} row ${row.index} is a dual hip ${row.kind} row without a Neck or Total row above it`, row.line);
        }
        if (heading.sides === 0) requireBlank(grid, heading.row);
        heading.sides += 1;
        rows.push(summaryRow(grid, row, heading.region, row.kind));
        continue;
      }
      case 'troch':
      case 'inter':
      case 'wards':
      case 'total':
      case 'neck':
        // like Neck and Total, a hip sub-region may head the dual hip's side rows
        if (row.kind !== 'total' && row.kind !== 'neck') requireInferredLabel(grid, row);
        closeHeading();
        heading = { region: row.kind, row, sides: 0 };
        continue;
      case 'L1':
      case 'L2':
      case 'L3':
      case 'L4':
      case 'forearm_33':
      case 'forearm_mid':
      case 'forearm_ud':
        closeHeading();
        rows.push(summaryRow(grid, row, row.kind, null));
        continue;
      case 'history':
      case 'majorOsteoporotic':
      case 'hipFracture':
      case 'fraxText':
      case 'riskFactorsTitle':
        throw new HologicBlobError(BlobFault.UNKNOWN_ROW_TYPE, `ResultsTable${grid.number} row ${row.index} (type ${row.code}) belongs in another table type`, row.line);
    }
  }
  closeHeading();
  // A dual hip row without its side would be read as the side of the first scan.
  const single = rows.find((row) => row.side === null);
  if (single && rows.some((row) => row.side !== null)) {
    throw new HologicBlobError(BlobFault.INCONSISTENT, `ResultsTable${grid.number} mixes dual hip side rows with a ${single.region} row without a side`, single.line);
  }
  const seen = new Map<string, SummaryRow>();
  for (const row of rows) {
    const key = `${row.region}/${row.side ?? ''}`;
    const earlier = seen.get(key);
    if (earlier) throw new HologicBlobError(BlobFault.INCONSISTENT, `ResultsTable${grid.number} has ${key} twice (lines ${earlier.line} and ${row.line})`, row.line);
    seen.set(key, row);
  }
  return rows;
}

function summaryRow(grid: ResultsGrid, row: GridRow, region: SummaryRegion, side: DualHipSide | null): SummaryRow {
  const values = Object.fromEntries(SUMMARY_NUMBERS.map((kind) => [kind, numberIn(grid, row, kind, parseDecimal)])) as unknown as SummaryValues;
  // A region row without its BMD would reach a letter as a region measured but not reported.
  if (values.bmd === null) {
    throw new HologicBlobError(BlobFault.MISSING_VALUE, `ResultsTable${grid.number} row ${row.index} (row type ${row.code}) has no BMD`, row.line);
  }
  return { region, side, label: cellOf(grid, row, 'region'), values, line: row.line };
}

function requireInferredLabel(grid: ResultsGrid, row: GridRow): void {
  const label = cellOf(grid, row, 'region')?.trim() ?? '';
  if (!INFERRED_ROW_LABELS[row.kind]?.test(label)) {
    throw new HologicBlobError(
      BlobFault.UNKNOWN_ROW_TYPE,
      `ResultsTable${grid.number} row ${row.index} has row type ${row.code}, read as ${row.kind} only when its Region cell says so, but it says ${JSON.stringify(label)}`,
      row.line,
    );
  }
}

function requireBlank(grid: ResultsGrid, row: GridRow): void {
  for (const kind of SUMMARY_NUMBERS) {
    if (cellOf(grid, row, kind) !== null) {
      throw new HologicBlobError(BlobFault.INCONSISTENT, `ResultsTable${grid.number} row ${row.index} heads dual hip rows but has its own ${kind}`, row.line);
    }
  }
}

function historyRows(grid: ResultsGrid): HistoryRow[] {
  return grid.rows
    .filter((row) => row.kind === 'history')
    .map((row) => ({
      scanDate: dateIn(grid, row),
      age: numberIn(grid, row, 'age', parseDecimal),
      bmd: numberIn(grid, row, 'bmd', parseDecimal),
      tScore: numberIn(grid, row, 'tScore', parseDecimal),
      changeVsBaseline: changeIn(grid, row, 'changeVsBaseline'),
      changeVsPrevious: changeIn(grid, row, 'changeVsPrevious'),
      region: cellOf(grid, row, 'region')?.trim() ?? null,
      line: row.line,
    }));
}

function changeIn(grid: ResultsGrid, row: GridRow, kind: ColumnKind): Change | null {
  const cell = cellOf(grid, row, kind);
  if (cell === null) return null;
  const match = /^(.*?)(%?)(\*?)$/.exec(cell.trim());
  const value = parseDecimal(match?.[1]);
  if (!match || value === null) throw notANumber(grid, row, kind, cell);
  return { value, unit: match[2] === '%' ? 'percent' : 'g/cm2', significant: match[3] === '*' };
}

function dateIn(grid: ResultsGrid, row: GridRow): HistoryRow['scanDate'] {
  const cell = cellOf(grid, row, 'scanDate');
  if (cell === null) return null;
  const date = parseUsDate(cell);
  if (!date) throw new HologicBlobError(BlobFault.INVALID_VALUE, `ResultsTable${grid.number} row ${row.index} column scanDate is ${JSON.stringify(cell)}, not a date MM/DD/YYYY`, row.line);
  return date;
}
