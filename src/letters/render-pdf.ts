import PDFDocument from 'pdfkit';
import { drawText, FACE_NAMES } from './draw-text.ts';
import { freshGlyphCaches, letterFonts } from './fonts.ts';
import type { Block, LetterDocument, TableColumn, TableRow } from './letter-document.ts';
import { pdfMetadata, type LetterReference } from './pdf-metadata.ts';

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

/** Lays a letter out on A4 with pdfkit and returns the PDF bytes. */
export function renderLetterPdf(letter: LetterDocument, options: RenderOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: options.language,
    displayTitle: true,
    info: {
      ...pdfMetadata(letter.kind, options.language, options.reference),
      Author: letter.author,
      Creator: 'dexa-report',
      Producer: 'dexa-report',
      CreationDate: options.creationDate,
      ModDate: options.creationDate,
    },
  });
  const fonts = letterFonts();
  freshGlyphCaches();
  // pdfkit accepts a parsed fontkit font where its types only name file paths and buffers
  doc.registerFont(FACE_NAMES.regular, fonts.regular as unknown as string);
  doc.registerFont(FACE_NAMES.semibold, fonts.semibold as unknown as string);
  doc.registerFont(FACE_NAMES.italic, fonts.italic as unknown as string);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  drawHeader(doc, letter);
  letter.blocks.forEach((block, i) => {
    const next = letter.blocks[i + 1];
    // The last paragraph goes with the signature, so a signature never stands alone on a page.
    if (block.kind === 'paragraph' && next?.kind === 'signature') ensureSpace(doc, paragraphHeight(doc, block.text, block.bold) + signatureHeight(doc, next.lines.length));
    drawBlock(doc, block);
  });
  finishPages(doc, letter);
  doc.end();
  return done;
}

const width = (doc: PDFKit.PDFDocument) => doc.page.width - MARGIN.left - MARGIN.right;
const bottom = (doc: PDFKit.PDFDocument) => doc.page.height - MARGIN.bottom;

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > bottom(doc)) doc.addPage();
}

/** Logo or title at the top left, the sender at the top right; date and subject below both. */
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
  doc.y = Math.max(doc.y, senderBottom) + 14;
  doc.fontSize(BODY).fillColor(MUTED);
  drawText(doc, 'regular', letter.dateLine, { width: width(doc) }, MARGIN.left, doc.y);
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

function drawBlock(doc: PDFKit.PDFDocument, block: Block): void {
  doc.x = MARGIN.left;
  switch (block.kind) {
    case 'heading':
      ensureSpace(doc, 70);
      doc.moveDown(0.35);
      doc.fontSize(11).fillColor(INK);
      drawText(doc, 'semibold', block.text, { width: width(doc) });
      doc.moveDown(0.25);
      return;
    case 'paragraph':
      ensureSpace(doc, 30);
      doc.fontSize(BODY).fillColor(INK);
      drawText(doc, block.bold ? 'semibold' : 'regular', block.text, { width: width(doc), lineGap: 2 });
      doc.moveDown(0.55);
      return;
    case 'bullets':
      for (const item of block.items) {
        ensureSpace(doc, 28);
        const y = doc.y;
        doc.font(FACE_NAMES.regular).fontSize(BODY).fillColor(INK).text('•', MARGIN.left + 2, y);
        drawText(doc, 'regular', item, { width: width(doc) - 16, lineGap: 2 }, MARGIN.left + 16, y);
        doc.moveDown(0.3);
      }
      doc.x = MARGIN.left;
      doc.moveDown(0.3);
      return;
    case 'table':
      drawTable(doc, block.columns, block.rows, block.note);
      return;
    case 'signature':
      ensureSpace(doc, signatureHeight(doc, block.lines.length));
      doc.moveDown(0.3);
      doc.fontSize(BODY).fillColor(INK);
      drawText(doc, 'regular', block.closing, { width: width(doc) });
      doc.moveDown(SIGNATURE_GAP);
      drawText(doc, 'semibold', block.lines[0] ?? '', { width: width(doc) });
      doc.fillColor(MUTED);
      for (const line of block.lines.slice(1)) drawText(doc, 'regular', line, { width: width(doc) });
      doc.fillColor(INK).moveDown(0.8);
      return;
  }
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

/** Page numbers when the letter runs to more pages, and the draft banner on every page of a held letter. */
function finishPages(doc: PDFKit.PDFDocument, letter: LetterDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page; lift the margin while drawing here.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    if (letter.draftBanner) {
      doc.fontSize(10).fillColor(ALERT);
      drawText(doc, 'semibold', letter.draftBanner, { width: width(doc), align: 'center', lineBreak: false }, MARGIN.left, 16);
    }
    if (i > range.start) {
      // a continuation page still says whose letter it is
      doc.fontSize(8.5).fillColor(MUTED);
      drawText(doc, 'regular', letter.subject, { width: width(doc), lineBreak: false, ellipsis: true }, MARGIN.left, 31);
    }
    if (range.count > 1) {
      doc.fontSize(8.5).fillColor(MUTED);
      drawText(doc, 'regular', letter.pageLabel(i - range.start + 1, range.count), { width: width(doc), align: 'center', lineBreak: false }, MARGIN.left, doc.page.height - 34);
    }
    doc.page.margins = margins;
  }
}
