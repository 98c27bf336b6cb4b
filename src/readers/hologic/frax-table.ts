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
  const text = grid.rows.filter((row) => row.kind === 'fraxText').flatMap((row) => row.cells.filter((cell) => cell !== null));
  const freeText = text.map(plainText).join(' ').trim();
  const notReported = /^FRAX not reported because:\s*/i.exec(freeText);
  const reasonColumn = grid.columns.some((column) => column.kind === 'fraxNotReported');
  if (notReported || reasonColumn) {
    const reason = freeText.slice(notReported?.[0].length ?? 0).trim();
    if (reason === '') throw new HologicBlobError(BlobFault.MISSING_VALUE, `ResultsTable${grid.number} says FRAX was not reported but gives no reason`);
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
    if (result.withoutPriorFracture === null && result.withPriorFracture === null) {
      throw new HologicBlobError(BlobFault.MISSING_VALUE, `ResultsTable${grid.number} row ${row.index} (${kind}) has no risk with or without prior fracture`, row.line);
    }
    return result;
  };
  return { reported: true, majorOsteoporotic: risk('majorOsteoporotic'), hip: risk('hipFracture'), riskFactors: freeText === '' ? null : freeText };
}

function parsePercent(text: string): number | null {
  const match = /^(.*)%$/.exec(text.trim());
  return match ? parseDecimal(match[1]) : null;
}

/** HTML line breaks and tags out of free text. */
function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

