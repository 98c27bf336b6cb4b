import { BlobFault, HologicBlobError } from './blob-error.ts';
import type { GridRow, ResultsGrid } from './results-grid.ts';
import type { ColumnKind } from './type-codes.ts';

/** The cell of a row in the column of that kind; null when the table has no such column or the cell is blank. */
export function cellOf(grid: ResultsGrid, row: GridRow, kind: ColumnKind): string | null {
  const columns = grid.columns.filter((column) => column.kind === kind);
  if (columns.length > 1) throw new HologicBlobError(BlobFault.INCONSISTENT, `ResultsTable${grid.number} has ${columns.length} columns of kind ${kind}`);
  const column = columns[0];
  return column ? (row.cells[column.index] ?? null) : null;
}

/** A cell as a number; blank is null, anything else that is not a number an error naming table, row and column. */
export function numberIn(grid: ResultsGrid, row: GridRow, kind: ColumnKind, parse: (text: string) => number | null): number | null {
  const cell = cellOf(grid, row, kind);
  if (cell === null) return null;
  const value = parse(cell);
  if (value === null) throw notANumber(grid, row, kind, cell);
  return value;
}

export function notANumber(grid: ResultsGrid, row: GridRow, kind: ColumnKind, cell: string): HologicBlobError {
  return new HologicBlobError(
    BlobFault.NOT_A_NUMBER,
    `ResultsTable${grid.number} row ${row.index} (row type ${row.code}) column ${kind} is ${JSON.stringify(cell)}, not a number`,
    row.line,
  );
}
