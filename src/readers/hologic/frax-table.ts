import { fraxPlainText } from '../../model/frax.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { BlobFault, HologicBlobError } from './blob-error.ts';
import type { ResultsGrid } from './results-grid.ts';
import { numberIn } from './table-cells.ts';

export interface FraxRisk {
  withoutPriorFracture: number | null;
  withPriorFracture: number | null;
}

export type FraxTable =
  | { reported: true; majorOsteoporotic: FraxRisk; hip: FraxRisk; riskFactors: string | null }
  | { reported: false; reason: string };

/** Table type 8: the scanner's FRAX risks, or the reason it gives for not reporting them. */
export function readFraxTable(grid: ResultsGrid): FraxTable {
  // kept as the scanner wrote it, line breaks included; the letters make it one line (fraxPlainText)
  const freeText = grid.rows
    .filter((row) => row.kind === 'fraxText')
    .flatMap((row) => row.cells.filter((cell) => cell !== null && cell.trim() !== ''))
    .join('<br>')
    .trim();
  const notReported = /^FRAX not reported because:(\s|<br\s*\/?>)*/i.exec(freeText);
  const reasonColumn = grid.columns.some((column) => column.kind === 'fraxNotReported');
  if (notReported || reasonColumn) {
    const reason = freeText.slice(notReported?.[0].length ?? 0).trim();
    if (fraxPlainText(reason) === '') throw new HologicBlobError(BlobFault.MISSING_VALUE, `ResultsTable${grid.number} says FRAX was not reported but gives no reason`);
    return { reported: false, reason };
  }
  const risk = (kind: 'majorOsteoporotic' | 'hipFracture'): FraxRisk => {
    const rows = grid.rows.filter((row) => row.kind === kind);
    const row = rows[0];
    if (rows.length !== 1 || !row) throw new HologicBlobError(BlobFault.INCONSISTENT, `ResultsTable${grid.number} has ${rows.length} ${kind} rows, not one`);
    const result = {
      withoutPriorFracture: numberIn(grid, row, 'withoutPriorFracture', parsePercent),
      withPriorFracture: numberIn(grid, row, 'withPriorFracture', parsePercent),
    };
    for (const value of [result.withoutPriorFracture, result.withPriorFracture]) {
      if (value !== null && (value < 0 || value > 100)) {
        throw new HologicBlobError(BlobFault.INVALID_VALUE, `ResultsTable${grid.number} row ${row.index} (${kind}) gives a risk of ${value} %, outside 0–100 %`, row.line);
      }
    }
    if (result.withoutPriorFracture === null && result.withPriorFracture === null) {
      throw new HologicBlobError(BlobFault.MISSING_VALUE, `ResultsTable${grid.number} row ${row.index} (${kind}) has no risk with or without prior fracture`, row.line);
    }
    return result;
  };
  return { reported: true, majorOsteoporotic: risk('majorOsteoporotic'), hip: risk('hipFracture'), riskFactors: fraxPlainText(freeText) === '' ? null : freeText };
}

function parsePercent(text: string): number | null {
  const match = /^(.*)%$/.exec(text.trim());
  return match ? parseDecimal(match[1]) : null;
}
