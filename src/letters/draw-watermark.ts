import { drawText, FACE_NAMES } from './draw-text.ts';

const COLOUR = '#b3261e';
/** light enough that the letter under it reads as before, dark enough that no copy passes for a final letter */
const OPACITY = 0.11;
const LARGEST = 150;

/**
 * The large diagonal draft word (CONCEPT, DRAFT) across the current page, from the lower left to
 * the upper right, in light red over the text. Drawn on each page when the letter is finished, so
 * it is on every page, however many the letter runs to.
 */
export function drawWatermark(doc: PDFKit.PDFDocument, word: string): void {
  const { width, height } = doc.page;
  const angle = (Math.atan2(height, width) * 180) / Math.PI;
  const diagonal = Math.hypot(width, height);
  doc.font(FACE_NAMES.semibold).fontSize(100);
  // about two thirds of the diagonal, however long the department's word
  const size = Math.min(LARGEST, (100 * diagonal * 0.62) / Math.max(1, doc.widthOfString(word)));
  doc.fontSize(size);
  const wordWidth = doc.widthOfString(word);
  const wordHeight = doc.currentLineHeight();
  const cx = width / 2;
  const cy = height / 2;
  doc.save();
  doc.rotate(-angle, { origin: [cx, cy] });
  doc.fillColor(COLOUR).fillOpacity(OPACITY);
  drawText(doc, 'semibold', word, { lineBreak: false }, cx - wordWidth / 2, cy - wordHeight / 2);
  doc.restore();
  // restore() puts back the PDF's graphics state; pdfkit's own idea of colour and opacity is set back by hand
  doc.fillColor('#000000').fillOpacity(1);
}
