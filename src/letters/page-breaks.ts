/**
 * Where a letter's last page may begin. The renderer lays the letter out once on a scratch
 * document, notes for every unit (a block, or one item of a list) the pages it fell on and how
 * many lines of body text it holds, and asks here whether a page break must come earlier.
 */

/** Fewer lines than this on a page after the first looks like a page left over. */
export const MIN_BODY_LINES = 4;

export type UnitKind = 'heading' | 'paragraph' | 'bullet' | 'table' | 'signature' | 'picture';

export interface LaidOutUnit {
  /** `block:item`, item -1 for a whole block: what a forced break is keyed by */
  key: string;
  kind: UnitKind;
  /** lines of body text; none for a heading or the signature */
  lines: number;
  startPage: number;
  endPage: number;
  /** share of the unit's lines on its last page, when it runs over a page break (1 otherwise) */
  shareOnEndPage: number;
  /** a paragraph that introduces what follows ("… zo sterk mogelijk:") stays with it */
  introduces: boolean;
}

const bodyLines = (units: readonly LaidOutUnit[]) => units.reduce((n, u) => n + u.lines, 0);

/** The lines of body text on `page`, counting only units before `until`. */
function linesOnPage(units: readonly LaidOutUnit[], page: number, until = units.length): number {
  let lines = 0;
  for (const unit of units.slice(0, until)) {
    if (unit.startPage === page && unit.endPage === page) lines += unit.lines;
    else if (unit.endPage === page) lines += Math.round(unit.lines * unit.shareOnEndPage);
    else if (unit.startPage === page) lines += Math.round(unit.lines * (1 - unit.shareOnEndPage));
  }
  return lines;
}

/**
 * The unit before which a new page must start so that the last page holds at least
 * MIN_BODY_LINES lines of body text besides the signature, and, when the signature is on it, that
 * many before the signature: the signature never stands on a page with one sentence. Only as much
 * moves as that needs, a heading or an introducing paragraph with what it heads, and the page
 * before keeps some of its text. `null` when the layout is right as it is, or cannot be helped.
 */
export function earlierBreak(units: readonly LaidOutUnit[]): string | null {
  const last = Math.max(0, ...units.map((u) => u.endPage));
  if (last === 0) return null;
  const signature = units.findIndex((u) => u.kind === 'signature');
  const signatureOnLast = signature >= 0 && units[signature]!.startPage === last;
  const enough = linesOnPage(units, last) >= MIN_BODY_LINES && (!signatureOnLast || linesOnPage(units, last, signature) >= MIN_BODY_LINES);
  if (enough) return null;

  const firstOnLast = units.findIndex((u) => u.startPage === last);
  const from = firstOnLast < 0 ? units.length : firstOnLast;
  for (let i = from - 1; i > 0; i--) {
    const unit = units[i]!;
    if (unit.startPage !== last - 1) return null;
    // the last paragraph goes with the signature, never the signature alone
    if (unit.kind === 'signature' || units[i - 1]!.kind === 'heading' || units[i - 1]!.introduces) continue;
    const moved = units.slice(i);
    const beforeSignature = signature >= i ? units.slice(i, signature) : null;
    if (bodyLines(moved) < MIN_BODY_LINES || (beforeSignature && bodyLines(beforeSignature) < MIN_BODY_LINES)) continue;
    // the page before keeps text of its own
    if (!units.slice(0, i).some((u) => u.endPage === last - 1 && u.kind !== 'heading')) return null;
    return unit.key;
  }
  return null;
}
