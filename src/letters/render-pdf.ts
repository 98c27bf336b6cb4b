import PDFDocument from 'pdfkit';
import { letterFonts } from './fonts.ts';
import type { Block, LetterDocument, TableColumn, TableRow } from './letter-document.ts';

export interface RenderOptions {
  /** written into the PDF's metadata; fixed in tests so the same input gives the same bytes */
  creationDate: Date;
  language: string;
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
      Title: letter.title,
      Subject: letter.subject,
      Author: letter.author,
      Creator: 'dexa-report',
      Producer: 'dexa-report',
      CreationDate: options.creationDate,
      ModDate: options.creationDate,
    },
  });
  const fonts = letterFonts();
  // pdfkit accepts a parsed fontkit font where its types only name file paths and buffers
  doc.registerFont('body', fonts.regular as unknown as string);
  doc.registerFont('strong', fonts.semibold as unknown as string);
  doc.registerFont('italic', fonts.italic as unknown as string);
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
  doc.fillColor(INK).font('strong').fontSize(9.5).text(letter.sender[0] ?? '', senderX, top, { width: senderWidth, align: 'right' });
  doc.font('body').fontSize(9).fillColor(MUTED);
  for (const line of letter.sender.slice(1)) doc.text(line, { width: senderWidth, align: 'right' });
  const senderBottom = doc.y;

  const leftWidth = width(doc) - senderWidth - 24;
  let y = top;
  if (letter.logo) {
    doc.image(letter.logo, MARGIN.left, top, { fit: [leftWidth, 48] });
    y = top + 58;
  }
  doc.fillColor(INK).font('strong').fontSize(15).text(letter.title, MARGIN.left, y, { width: leftWidth });
  doc.y = Math.max(doc.y, senderBottom) + 14;
  doc.font('body').fontSize(BODY).fillColor(MUTED).text(letter.dateLine, MARGIN.left, doc.y, { width: width(doc) });
  doc.moveDown(0.2);
  doc.font('strong').fillColor(INK).text(letter.subject, { width: width(doc) });
  doc.moveDown(0.8);
}

const SIGNATURE_GAP = 1.5;

function paragraphHeight(doc: PDFKit.PDFDocument, text: string, bold = false): number {
  doc.font(bold ? 'strong' : 'body').fontSize(BODY);
  return doc.heightOfString(text, { width: width(doc), lineGap: 2 }) + doc.currentLineHeight(true) * 0.55;
}

/** closing line, the space to sign in, and the name lines */
function signatureHeight(doc: PDFKit.PDFDocument, lines: number): number {
  doc.font('body').fontSize(BODY);
  return doc.currentLineHeight(true) * (0.3 + 1 + SIGNATURE_GAP + lines + 0.2);
}

function drawBlock(doc: PDFKit.PDFDocument, block: Block): void {
  doc.x = MARGIN.left;
  switch (block.kind) {
    case 'heading':
      ensureSpace(doc, 70);
      doc.moveDown(0.35);
      doc.font('strong').fontSize(11).fillColor(INK).text(block.text, { width: width(doc) });
      doc.moveDown(0.25);
      return;
    case 'paragraph':
      ensureSpace(doc, 30);
      doc.font(block.bold ? 'strong' : 'body').fontSize(BODY).fillColor(INK).text(block.text, { width: width(doc), lineGap: 2 });
      doc.moveDown(0.55);
      return;
    case 'bullets':
      for (const item of block.items) {
        ensureSpace(doc, 28);
        const y = doc.y;
        doc.font('body').fontSize(BODY).fillColor(INK).text('•', MARGIN.left + 2, y);
        doc.text(item, MARGIN.left + 16, y, { width: width(doc) - 16, lineGap: 2 });
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
      doc.font('body').fontSize(BODY).fillColor(INK).text(block.closing, { width: width(doc) });
      doc.moveDown(SIGNATURE_GAP);
      doc.font('strong').text(block.lines[0] ?? '', { width: width(doc) });
      doc.font('body').fillColor(MUTED);
      for (const line of block.lines.slice(1)) doc.text(line, { width: width(doc) });
      doc.fillColor(INK).moveDown(0.8);
      return;
  }
}

function drawTable(doc: PDFKit.PDFDocument, columns: TableColumn[], rows: TableRow[], note: string | null): void {
  const total = width(doc);
  const padding = 5;
  const rowHeight = 17;
  const xs = columns.reduce<number[]>((acc, column, i) => [...acc, (acc[i] ?? MARGIN.left) + column.width * total], [MARGIN.left]);
  const drawRow = (cells: string[], y: number, font: string, fill: string | null) => {
    if (fill) doc.rect(MARGIN.left, y, total, rowHeight).fill(fill);
    doc.font(font).fillColor(INK);
    cells.forEach((cell, i) => {
      const column = columns[i] as TableColumn;
      const room = column.width * total - 2 * padding;
      // a cell never wraps into the row below: a long one is set a little smaller instead
      doc.fontSize(10);
      const size = Math.max(8, Math.min(10, (10 * room) / Math.max(1, doc.widthOfString(cell))));
      doc.fontSize(size).text(cell, (xs[i] as number) + padding, y + 4 + (10 - size) / 2, { width: room, align: column.align, lineBreak: false });
    });
    doc.moveTo(MARGIN.left, y + rowHeight).lineTo(MARGIN.left + total, y + rowHeight).lineWidth(0.5).strokeColor(RULE).stroke();
  };
  ensureSpace(doc, rowHeight * Math.min(rows.length + 1, 6));
  let y = doc.y;
  drawRow(columns.map((c) => c.title), y, 'strong', SHADE);
  for (const row of rows) {
    y += rowHeight;
    if (y + rowHeight > bottom(doc)) {
      doc.addPage();
      y = doc.y;
      drawRow(columns.map((c) => c.title), y, 'strong', SHADE);
      y += rowHeight;
    }
    drawRow(row.cells, y, row.emphasis ? 'strong' : 'body', null);
  }
  doc.x = MARGIN.left;
  doc.y = y + rowHeight + 5;
  if (note) doc.font('italic').fontSize(9).fillColor(MUTED).text(note, MARGIN.left, doc.y, { width: total });
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
      doc.font('strong').fontSize(10).fillColor(ALERT).text(letter.draftBanner, MARGIN.left, 16, { width: width(doc), align: 'center', lineBreak: false });
    }
    if (i > range.start) {
      // a continuation page still says whose letter it is
      doc.font('body').fontSize(8.5).fillColor(MUTED).text(letter.subject, MARGIN.left, 31, { width: width(doc), lineBreak: false, ellipsis: true });
    }
    if (range.count > 1) {
      doc.font('body').fontSize(8.5).fillColor(MUTED).text(letter.pageLabel(i - range.start + 1, range.count), MARGIN.left, doc.page.height - 34, {
        width: width(doc),
        align: 'center',
        lineBreak: false,
      });
    }
    doc.page.margins = margins;
  }
}
