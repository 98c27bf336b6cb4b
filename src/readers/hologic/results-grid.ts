import { BlobFault, HologicBlobError } from './blob-error.ts';
import type { BlobAssignment, BlobSection } from './blob-tokens.ts';
import { type ColumnKind, columnKind, type RowKind, rowKind, TABLE_LAYOUT, type TableKind, tableKind } from './type-codes.ts';

/** One ResultsTableN as declared: every cell present, every row and column typed by its code. */
export interface ResultsGrid {
  /** N in `ResultsTableN` */
  number: number;
  kind: TableKind;
  title: string;
  rows: readonly GridRow[];
  columns: readonly GridColumn[];
}

export interface GridColumn {
  index: number;
  code: number;
  kind: ColumnKind;
}

export interface GridRow {
  index: number;
  code: number;
  kind: RowKind;
  /** the cells in column order; `" "` and other blank cells are null */
  cells: readonly (string | null)[];
  line: number;
}

const TABLE_TYPE_NAME = /^TableType(\d+)$/;

/** Every table of a Results section, in the order of N. */
export function readResultsGrids(section: BlobSection): ResultsGrid[] {
  const numbers = section.assignments
    .filter((assignment) => assignment.indices.length === 0)
    .map((assignment) => TABLE_TYPE_NAME.exec(assignment.name)?.[1])
    .filter((number) => number !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  // One lookup per cell, so a table's cost grows with its cells and not with cells × lines.
  const byKey = new Map(section.assignments.map((assignment) => [keyOf(assignment.name, assignment.indices), assignment]));
  return numbers.map((number) => readGrid(section, byKey, number));
}

type Assignments = ReadonlyMap<string, BlobAssignment>;

function keyOf(name: string, indices: readonly number[]): string {
  return `${name}${indices.map((index) => `[${index}]`).join('')}`;
}

function readGrid(section: BlobSection, byKey: Assignments, number: number): ResultsGrid {
  const table = `ResultsTable${number}`;
  const typeLine = required(section, byKey, `TableType${number}`);
  const kind = tableKind(integer(typeLine, `TableType${number}`));
  if (kind === null) {
    throw new HologicBlobError(BlobFault.UNKNOWN_TABLE_TYPE, `${table} has table type ${typeLine.value.trim()}, not one of the known types 1, 2 and 8`, typeLine.line);
  }
  const rowCount = integer(required(section, byKey, `MAXROWS${number}`), `MAXROWS${number}`);
  const columnCount = integer(required(section, byKey, `MAXCOLS${number}`), `MAXCOLS${number}`);
  checkIndices(section, number, rowCount, columnCount);
  const layout = TABLE_LAYOUT[kind];

  const columns = range(columnCount).map((index): GridColumn => {
    const assignment = cutOff(section, byKey, `TableColumnTypes${number}`, [index], table);
    const code = integer(assignment, `TableColumnTypes${number}[${index}]`);
    const found = columnKind(code);
    if (found === null || !layout.columns.includes(found)) {
      throw new HologicBlobError(BlobFault.UNKNOWN_COLUMN_TYPE, `${table} column ${index} has column type ${code}, not known in a ${kind} table`, assignment.line);
    }
    return { index, code, kind: found };
  });
  const rows = range(rowCount).map((index): GridRow => {
    const assignment = cutOff(section, byKey, `TableRowTypes${number}`, [index], table);
    const code = integer(assignment, `TableRowTypes${number}[${index}]`);
    const found = rowKind(code);
    if (found === null || !layout.rows.includes(found)) {
      throw new HologicBlobError(BlobFault.UNKNOWN_ROW_TYPE, `${table} row ${index} has row type ${code}, not known in a ${kind} table`, assignment.line);
    }
    const cells = range(columnCount).map((column) => blankToNull(cutOff(section, byKey, table, [index, column], table).value));
    return { index, code, kind: found, cells, line: assignment.line };
  });
  const title = byKey.get(`TableTitle${number}`);
  return { number, kind, title: title?.value.trim() ?? '', rows, columns };
}

/** A cell or type the declared size promises but the blob lacks: the export was cut off mid-table. */
function cutOff(section: BlobSection, byKey: Assignments, name: string, indices: number[], table: string): BlobAssignment {
  const found = byKey.get(keyOf(name, indices));
  if (found) return found;
  const last = section.assignments.at(-1)?.line ?? section.line;
  throw new HologicBlobError(
    BlobFault.CUT_OFF_TABLE,
    `${table} ends before ${keyOf(name, indices)} (the blob's last line in ${section.name} is ${last})`,
    last,
  );
}

function checkIndices(section: BlobSection, number: number, rowCount: number, columnCount: number): void {
  const limits: Record<string, number[]> = {
    [`ResultsTable${number}`]: [rowCount, columnCount],
    [`TableRowTypes${number}`]: [rowCount],
    [`TableColumnTypes${number}`]: [columnCount],
  };
  for (const assignment of section.assignments) {
    const bounds = limits[assignment.name];
    if (!bounds) continue;
    const fits = assignment.indices.length === bounds.length && assignment.indices.every((index, axis) => index < (bounds[axis] ?? 0));
    if (!fits) {
      throw new HologicBlobError(
        BlobFault.INDEX_OUT_OF_RANGE,
        `${assignment.name}${assignment.indices.map((index) => `[${index}]`).join('')} is outside the declared ${rowCount} rows × ${columnCount} columns`,
        assignment.line,
      );
    }
  }
}

function required(section: BlobSection, byKey: Assignments, name: string): BlobAssignment {
  const found = byKey.get(name);
  if (!found) throw new HologicBlobError(BlobFault.MISSING_VALUE, `${section.name} has no ${name}`, section.line);
  return found;
}

function integer(assignment: BlobAssignment, what: string): number {
  const text = assignment.value.trim();
  if (!/^\d{1,4}$/.test(text)) throw new HologicBlobError(BlobFault.NOT_A_NUMBER, `${what} is ${JSON.stringify(assignment.value)}, not a whole number`, assignment.line);
  return Number(text);
}

function blankToNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
