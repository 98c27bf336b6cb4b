import { describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import type { LetterDocument } from '../../src/letters/letter-document.ts';
import { earlierBreak, type LaidOutUnit } from '../../src/letters/page-breaks.ts';
import { lettersOf, type LetterText } from '../helpers/letters.ts';

const normal = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The lines of body text on one page of the real PDF, read back: not the running lines (banner,
 * watermark, the subject repeated, the page number), not a heading, not the signature. Each is a
 * piece of a paragraph, a list item or a table row of the letter. `beforeSignature` counts only
 * the lines above the closing line.
 */
function bodyLines(letter: LetterDocument, page: string, pageNumber: number, pages: number, beforeSignature = false): number {
  const running = new Set([letter.subject, letter.draftBanner, letter.watermark, letter.pageLabel(pageNumber, pages)].filter((line): line is string => line !== null).map(normal));
  const headings = new Set(letter.blocks.flatMap((block) => (block.kind === 'heading' ? [normal(block.text)] : [])));
  const signature = letter.blocks.find((block) => block.kind === 'signature');
  const signatureLines = new Set(signature ? [signature.closing, ...signature.lines].map(normal) : []);
  const body = letter.blocks.flatMap((block) => {
    if (block.kind === 'paragraph') return [normal(block.text)];
    if (block.kind === 'bullets') return block.items.map(normal);
    if (block.kind === 'table') return [...block.rows.map((row) => normal(row.cells.join(' '))), normal(block.columns.map((c) => c.title).join(' ')), normal(block.note ?? '')];
    return [];
  });
  let lines = page.split('\n').map((line) => normal(line.replace(/^•\s*/, '')));
  if (beforeSignature && signature) lines = lines.slice(0, lines.indexOf(normal(signature.closing)));
  return lines.filter((line) => !running.has(line) && !headings.has(line) && !signatureLines.has(line) && body.some((text) => text.includes(line))).length;
}

const NAMED = ['03', '06', '13', '16', '17', '18'];
const ALL = FIXTURE_STUDIES.map((study) => study.id.slice(0, 2));

describe('page breaks, checked on the text of the real PDF per page', () => {
  const check = (letter: LetterText) => {
    const pages = letter.pages.length;
    const document = letter.letter.document;
    for (let i = 1; i < pages; i++) {
      expect(bodyLines(document, letter.pages[i]!, i + 1, pages), `page ${i + 1} of ${pages}:\n${letter.pages[i]}`).toBeGreaterThanOrEqual(4);
      // the signature is never on a later page with a sentence or two above it
      const closing = document.blocks.find((block) => block.kind === 'signature')?.closing;
      if (closing && letter.pages[i]!.includes(closing)) {
        expect(bodyLines(document, letter.pages[i]!, i + 1, pages, true), `above the signature on page ${i + 1}:\n${letter.pages[i]}`).toBeGreaterThanOrEqual(4);
      }
    }
  };

  it.each(NAMED)('fixture %s (the letters where the signature stood alone on page 2): page 2 has no page or at least four lines of body text besides the signature', async (id) => {
    const { gp, patient } = await lettersOf(id);
    for (const letter of [gp, patient]) check(letter);
    // the counting sees what it is meant to: page 1 of a two-page letter is full of text
    for (const letter of [gp, patient]) if (letter.pages.length > 1) expect(bodyLines(letter.letter.document, letter.pages[0]!, 1, letter.pages.length)).toBeGreaterThan(10);
  });

  it.each(ALL.filter((id) => !NAMED.includes(id)))('fixture %s: no page after the first with fewer than four lines of body text', async (id) => {
    const { gp, patient } = await lettersOf(id);
    for (const letter of [gp, patient]) check(letter);
  });

  it.each(NAMED)('fixture %s in English: the same', async (id) => {
    const { gp, patient } = await lettersOf(id, 'en');
    for (const letter of [gp, patient]) check(letter);
  });

  it('fixture 03: the GP letter moves the last list items with the last paragraph and the signature, nothing more', async () => {
    const { gp } = await lettersOf('03');
    expect(gp.pages).toHaveLength(2);
    expect(gp.pages[0]).toContain('Advies');
    expect(gp.pages[0]).toContain('Calcium 1000–1200 mg per dag');
    expect(gp.pages[1]).toMatch(/^• Valpreventie/);
    expect(gp.pages[1]).toContain('Wij adviseren een herhaling van de botdichtheidsmeting over 2 jaar');
  });
});

describe('where the last page may begin', () => {
  const unit = (key: string, kind: LaidOutUnit['kind'], lines: number, page: number, extra: Partial<LaidOutUnit> = {}): LaidOutUnit =>
    ({ key, kind, lines, startPage: page, endPage: page, shareOnEndPage: 1, introduces: false, ...extra });

  it('leaves a one-page letter and a well-filled last page alone', () => {
    expect(earlierBreak([unit('0', 'paragraph', 3, 0), unit('1', 'signature', 0, 0)])).toBeNull();
    expect(earlierBreak([unit('0', 'paragraph', 30, 0), unit('1', 'paragraph', 4, 1), unit('2', 'signature', 0, 1)])).toBeNull();
  });

  it('moves just enough lines to stand above a signature that went over with one sentence', () => {
    const units = [unit('0', 'paragraph', 30, 0), unit('1', 'bullet', 2, 0), unit('2', 'bullet', 2, 0), unit('3', 'bullet', 1, 0), unit('4', 'paragraph', 1, 1), unit('5', 'signature', 0, 1)];
    expect(earlierBreak(units)).toBe('2');
  });

  it('takes a heading along with what it heads, and a list with the sentence that introduces it', () => {
    const headed = [unit('0', 'paragraph', 30, 0), unit('1', 'heading', 0, 0), unit('2', 'paragraph', 3, 0), unit('3', 'paragraph', 1, 1), unit('4', 'signature', 0, 1)];
    expect(earlierBreak(headed)).toBe('1');
    const introduced = [unit('0', 'paragraph', 30, 0), unit('1', 'paragraph', 1, 0, { introduces: true }), unit('2', 'bullet', 3, 0), unit('3', 'paragraph', 1, 1), unit('4', 'signature', 0, 1)];
    expect(earlierBreak(introduced)).toBe('1');
  });

  it('fills a last page that holds only a short appendix after the signature, bringing the signature along', () => {
    const units = [unit('0', 'paragraph', 30, 0), unit('1', 'bullet', 2, 0), unit('2', 'bullet', 2, 0), unit('3', 'paragraph', 1, 0), unit('4', 'signature', 0, 0), unit('5', 'heading', 0, 1), unit('6', 'paragraph', 2, 1)];
    // four lines must stand above the signature once it moves: both list items go too
    expect(earlierBreak(units)).toBe('1');
  });

  it('gives up rather than empty the page before', () => {
    expect(earlierBreak([unit('0', 'paragraph', 2, 0), unit('1', 'paragraph', 1, 1), unit('2', 'signature', 0, 1)])).toBeNull();
  });
});
