import PDFDocument from 'pdfkit';
import { drawText, FACE_NAMES } from './draw-text.ts';
import { drawWatermark } from './draw-watermark.ts';
import { freshGlyphCaches, letterFonts } from '../fonts/fonts.ts';
import type { Block, LetterDocument, TableColumn, TableRow } from './letter-document.ts';
import { earlierBreak, type LaidOutUnit, type UnitKind } from './page-breaks.ts';
import { pdfMetadata, type LetterReference } from './pdf-metadata.ts';
import { shareLayouts } from '../fonts/pdfkit-layouts.ts';
import { drawSvgPicture } from './pdf-picture.ts';

export interface RenderOptions {
  /** written into the PDF's metadata; fixed in tests so the same input gives the same bytes */
  creationDate: Date;
  language: string;
  /** accession number and study date for the PDF's metadata, which never names the patient */
  reference?: LetterReference;
}

const MARGIN = { top: 48, bottom: 54, left: 64, right: 64 };
const BODY = 10;
const INK = '#1d232a';
const MUTED = '#5b6670';
const RULE = '#cfd6dd';
const SHADE = '#eef2f5';
const ALERT = '#b3261e';

/**
 * Lays a letter out on A4 with pdfkit and returns the PDF bytes. When the last page would be left
 * with a line or two of text (see page-breaks.ts), the letter is laid out again with a page break
 * forced earlier (`breaks`, the units a new page starts before); most letters are laid out once.
 */
export function renderLetterPdf(letter: LetterDocument, options: RenderOptions, breaks: ReadonlySet<string> = new Set()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: options.language,
    displayTitle: true,
    // no default font: pdfkit would parse Helvetica's metrics for every letter, which never uses it
    font: null as unknown as string,
    info: {
      ...pdfMetadata(letter.kind, options.language, options.reference),
      Author: letter.author,
      Creator: 'dexa-report',
      Producer: 'dexa-report',
      CreationDate: options.creationDate,
      ModDate: options.creationDate,
    },
  });
  freshGlyphCaches();
  registerFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  drawHeader(doc, letter);
  const earlier = earlierBreak(layOutBlocks(doc, letter, breaks));
  // this document is dropped unfinished: nothing of it is written anywhere
  if (earlier !== null && !breaks.has(earlier) && breaks.size < 3) return renderLetterPdf(letter, options, new Set([...breaks, earlier]));
  finishPages(doc, letter);
  doc.end();
  // ending embeds the font subsets, which leaves component glyphs without characters in fontkit's
  // cache; cleared now, so that no text shaped before the next letter (and kept) takes them
  freshGlyphCaches();
  return done;
}

function registerFonts(doc: PDFKit.PDFDocument): void {
  const fonts = letterFonts();
  // pdfkit accepts a parsed fontkit font where its types only name file paths and buffers
  doc.registerFont(FACE_NAMES.regular, fonts.regular as unknown as string);
  doc.registerFont(FACE_NAMES.semibold, fonts.semibold as unknown as string);
  doc.registerFont(FACE_NAMES.italic, fonts.italic as unknown as string);
  doc.font(FACE_NAMES.regular);
  shareLayouts(doc);
}

/**
 * Draws the blocks below the header, starting a new page before each unit named in `breaks`,
 * and tells on which pages each unit (a block, or one item of a list) fell.
 */
function layOutBlocks(doc: PDFKit.PDFDocument, letter: LetterDocument, breaks: ReadonlySet<string>): LaidOutUnit[] {
  const units: LaidOutUnit[] = [];
  const page = () => doc.bufferedPageRange().count - 1;
  const unit = (key: string, kind: UnitKind, lines: number, needed: number, draw: () => void, introduces = false) => {
    doc.x = MARGIN.left;
    if (breaks.has(key) && doc.y > MARGIN.top + 1) doc.addPage();
    else ensureSpace(doc, needed);
    const startPage = page();
    const startY = doc.y;
    draw();
    const endPage = page();
    // a unit that ran over a page break: how much of it is on the new page
    const before = bottom(doc) - startY;
    const after = Math.max(0, doc.y - MARGIN.top);
    const shareOnEndPage = endPage === startPage ? 1 : after / Math.max(1, before + after);
    units.push({ key, kind, lines, startPage, endPage, shareOnEndPage, introduces });
  };

  letter.blocks.forEach((block, i) => {
    const key = `${i}:-1`;
    switch (block.kind) {
      case 'heading':
        return unit(key, 'heading', 0, 70, () => drawHeading(doc, block.text));
      case 'paragraph': {
        const next = letter.blocks[i + 1];
        // The last paragraph goes with the signature, so a signature never stands alone on a page.
        const needed = next?.kind === 'signature' ? paragraphHeight(doc, block.text, block.bold) + signatureHeight(doc, next.lines.length) : 30;
        const lines = lineCount(doc, block.text, width(doc), block.bold ? 'semibold' : 'regular');
        return unit(key, 'paragraph', lines, needed, () => drawParagraph(doc, block.text, block.bold), next?.kind === 'bullets' && block.text.trimEnd().endsWith(':'));
      }
      case 'bullets':
        block.items.forEach((item, j) => unit(`${i}:${j}`, 'bullet', lineCount(doc, item, width(doc) - 16, 'regular'), 28, () => drawBullet(doc, item)));
        doc.x = MARGIN.left;
        doc.moveDown(0.3);
        return;
      case 'table':
        return unit(key, 'table', block.rows.length + 1, 17 * Math.min(block.rows.length + 1, 6), () => drawTable(doc, block.columns, block.rows, block.note));
      case 'signature':
        return unit(key, 'signature', 0, signatureHeight(doc, block.lines.length), () => drawSignature(doc, block));
      case 'picture':
        // never split: the whole picture goes to the next page when it does not fit; it counts as the body lines its height would hold
        return unit(key, 'picture', Math.ceil(block.height / 14), block.height + PICTURE_GAP * 3, () => drawPicture(doc, block));
    }
  });
  return units;
}

/** How many lines a text wraps to at the body size. */
function lineCount(doc: PDFKit.PDFDocument, text: string, textWidth: number, face: 'regular' | 'semibold'): number {
  doc.font(FACE_NAMES[face]).fontSize(BODY);
  return Math.max(1, Math.round((doc.heightOfString(text, { width: textWidth, lineGap: 2 }) + 2) / (doc.currentLineHeight(true) + 2)));
}

const width = (doc: PDFKit.PDFDocument) => doc.page.width - MARGIN.left - MARGIN.right;
const bottom = (doc: PDFKit.PDFDocument) => doc.page.height - MARGIN.bottom;

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > bottom(doc)) doc.addPage();
}

/** Logo or title at the top left, the sender at the top right; the address block, date, reference and subject below both. */
function drawHeader(doc: PDFKit.PDFDocument, letter: LetterDocument): void {
  const top = MARGIN.top;
  const senderWidth = 210;
  const senderX = doc.page.width - MARGIN.right - senderWidth;
  doc.fillColor(INK).fontSize(9.5);
  drawText(doc, 'semibold', letter.sender[0] ?? '', { width: senderWidth, align: 'right' }, senderX, top);
  doc.fontSize(9).fillColor(MUTED);
  for (const line of letter.sender.slice(1)) drawText(doc, 'regular', line, { width: senderWidth, align: 'right' });
  const senderBottom = doc.y;

  const leftWidth = width(doc) - senderWidth - 24;
  let y = top;
  if (letter.logo) {
    doc.image(letter.logo, MARGIN.left, top, { fit: [leftWidth, 48] });
    y = top + 58;
  }
  doc.fillColor(INK).fontSize(15);
  drawText(doc, 'semibold', letter.title, { width: leftWidth }, MARGIN.left, y);
  // the address block under the title, beside the sender: most letters gain no height from it
  if (letter.addressee.length > 0) {
    doc.fontSize(BODY).fillColor(INK);
    drawText(doc, 'regular', letter.addressee[0] ?? '', { width: leftWidth }, MARGIN.left, doc.y + 12);
    for (const line of letter.addressee.slice(1)) drawText(doc, 'regular', line, { width: leftWidth });
  }
  doc.y = Math.max(doc.y, senderBottom) + 14;
  doc.fontSize(BODY).fillColor(MUTED);
  drawText(doc, 'regular', letter.dateLine, { width: width(doc) }, MARGIN.left, doc.y);
  drawText(doc, 'regular', letter.reference, { width: width(doc) });
  doc.moveDown(0.2);
  doc.fillColor(INK);
  drawText(doc, 'semibold', letter.subject, { width: width(doc) });
  doc.moveDown(0.8);
}

const SIGNATURE_GAP = 1.5;

function paragraphHeight(doc: PDFKit.PDFDocument, text: string, bold = false): number {
  doc.font(bold ? FACE_NAMES.semibold : FACE_NAMES.regular).fontSize(BODY);
  return doc.heightOfString(text, { width: width(doc), lineGap: 2 }) + doc.currentLineHeight(true) * 0.55;
}

/** closing line, the space to sign in, and the name lines */
function signatureHeight(doc: PDFKit.PDFDocument, lines: number): number {
  doc.font(FACE_NAMES.regular).fontSize(BODY);
  return doc.currentLineHeight(true) * (0.3 + 1 + SIGNATURE_GAP + lines + 0.2);
}

function drawHeading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.35);
  doc.fontSize(11).fillColor(INK);
  drawText(doc, 'semibold', text, { width: width(doc) });
  doc.moveDown(0.25);
}

function drawParagraph(doc: PDFKit.PDFDocument, text: string, bold = false): void {
  doc.fontSize(BODY).fillColor(INK);
  drawText(doc, bold ? 'semibold' : 'regular', text, { width: width(doc), lineGap: 2 });
  doc.moveDown(0.55);
}

function drawBullet(doc: PDFKit.PDFDocument, item: string): void {
  const y = doc.y;
  doc.font(FACE_NAMES.regular).fontSize(BODY).fillColor(INK).text('•', MARGIN.left + 2, y);
  drawText(doc, 'regular', item, { width: width(doc) - 16, lineGap: 2 }, MARGIN.left + 16, y);
  doc.moveDown(0.3);
}

function drawSignature(doc: PDFKit.PDFDocument, block: Extract<Block, { kind: 'signature' }>): void {
  doc.moveDown(0.3);
  doc.fontSize(BODY).fillColor(INK);
  drawText(doc, 'regular', block.closing, { width: width(doc) });
  doc.moveDown(SIGNATURE_GAP);
  drawText(doc, 'semibold', block.lines[0] ?? '', { width: width(doc) });
  doc.fillColor(MUTED);
  for (const line of block.lines.slice(1)) drawText(doc, 'regular', line, { width: width(doc) });
  doc.fillColor(INK).moveDown(0.8);
}

/** above the picture; twice that below it, as after a paragraph */
const PICTURE_GAP = 4;

/** An SVG drawing as vector graphics at the body's left margin, its text in the letter's own faces. */
function drawPicture(doc: PDFKit.PDFDocument, block: Extract<Block, { kind: 'picture' }>): void {
  const y = doc.y + PICTURE_GAP;
  drawSvgPicture(doc, block.svg, MARGIN.left, y, { width: block.width, height: block.height, name: block.name });
  // the picture's last text leaves its face and size behind; what follows is measured in the body's
  doc.font(FACE_NAMES.regular).fontSize(BODY).fillColor(INK);
  doc.x = MARGIN.left;
  doc.y = y + block.height + PICTURE_GAP * 2;
}

function drawTable(doc: PDFKit.PDFDocument, columns: TableColumn[], rows: TableRow[], note: string | null): void {
  const total = width(doc);
  const padding = 5;
  const rowHeight = 17;
  const xs = columns.reduce<number[]>((acc, column, i) => [...acc, (acc[i] ?? MARGIN.left) + column.width * total], [MARGIN.left]);
  const drawRow = (cells: string[], y: number, face: 'regular' | 'semibold', fill: string | null) => {
    if (fill) doc.rect(MARGIN.left, y, total, rowHeight).fill(fill);
    doc.font(FACE_NAMES[face]).fillColor(INK);
    cells.forEach((cell, i) => {
      const column = columns[i] as TableColumn;
      const room = column.width * total - 2 * padding;
      // a cell never wraps into the row below: a long one is set a little smaller instead
      doc.fontSize(10);
      const size = Math.max(8, Math.min(10, (10 * room) / Math.max(1, doc.widthOfString(cell))));
      doc.fontSize(size);
      drawText(doc, face, cell, { width: room, align: column.align, lineBreak: false }, (xs[i] as number) + padding, y + 4 + (10 - size) / 2);
    });
    doc.moveTo(MARGIN.left, y + rowHeight).lineTo(MARGIN.left + total, y + rowHeight).lineWidth(0.5).strokeColor(RULE).stroke();
  };
  ensureSpace(doc, rowHeight * Math.min(rows.length + 1, 6));
  let y = doc.y;
  drawRow(columns.map((c) => c.title), y, 'semibold', SHADE);
  for (const row of rows) {
    y += rowHeight;
    if (y + rowHeight > bottom(doc)) {
      doc.addPage();
      y = doc.y;
      drawRow(columns.map((c) => c.title), y, 'semibold', SHADE);
      y += rowHeight;
    }
    drawRow(row.cells, y, row.emphasis ? 'semibold' : 'regular', null);
  }
  doc.x = MARGIN.left;
  doc.y = y + rowHeight + 5;
  if (note) {
    doc.fontSize(9).fillColor(MUTED);
    drawText(doc, 'italic', note, { width: total }, MARGIN.left, doc.y);
  }
  doc.fillColor(INK).moveDown(0.6);
}

/** Page numbers when the letter runs to more pages; the draft banner and watermark on every page of a held letter. */
function finishPages(doc: PDFKit.PDFDocument, letter: LetterDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page; lift the margin while drawing here.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    if (letter.watermark) drawWatermark(doc, letter.watermark);
    if (letter.draftBanner) {
      doc.fontSize(10).fillColor(ALERT);
      drawText(doc, 'semibold', letter.draftBanner, { width: width(doc), align: 'center', lineBreak: false }, MARGIN.left, 16);
    }
    if (i > range.start) {
      // a continuation page still says whose letter it is: the patient, born, and the reference
      doc.fontSize(8.5).fillColor(MUTED);
      drawText(doc, 'regular', letter.continuation, { width: width(doc), lineBreak: false, ellipsis: true }, MARGIN.left, 31);
    }
    if (range.count > 1) {
      doc.fontSize(8.5).fillColor(MUTED);
      drawText(doc, 'regular', letter.pageLabel(i - range.start + 1, range.count), { width: width(doc), align: 'center', lineBreak: false }, MARGIN.left, doc.page.height - 34);
    }
    doc.page.margins = margins;
  }
}
