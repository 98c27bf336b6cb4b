import SVGtoPDF from 'svg-to-pdfkit';
import { FACE_NAMES } from './draw-text.ts';
import { readPictureSteps, type Paint, type PictureSteps } from './svg-shapes.ts';

/**
 * A picture's SVG at (x, y) on the page, drawn one to one. The pictures' own few shapes are drawn
 * by pdfkit directly, and their texts set by pdfkit in the letter's faces with the letter's shaping
 * cache: a general SVG renderer parsed styles and placed text glyph by glyph, which was most of a
 * letter's render time. A drawing with anything else, or not at its own scale, goes through
 * svg-to-pdfkit whole.
 */
export function drawSvgPicture(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, size: { width: number; height: number; name: string }): void {
  const steps = readPictureSteps(svg);
  if (steps !== null && steps.width === size.width && steps.height === size.height) drawSteps(doc, steps, x, y);
  else drawThroughSvgToPdfkit(doc, svg, x, y, size);
}

function drawSteps(doc: PDFKit.PDFDocument, steps: PictureSteps, x: number, y: number): void {
  // a shape with neither fill nor outline draws nothing (and a PDF path must end in a paint)
  for (const shape of steps.shapes.filter((step) => step.fill !== null || step.stroke !== null)) {
    doc.save();
    doc.translate(x, y);
    switch (shape.kind) {
      case 'line':
        doc.moveTo(shape.x1, shape.y1).lineTo(shape.x2, shape.y2);
        break;
      case 'rect':
        doc.rect(shape.x, shape.y, shape.width, shape.height);
        break;
      case 'circle':
        doc.circle(shape.cx, shape.cy, shape.r);
        break;
      case 'path':
        doc.translate(shape.dx, shape.dy).path(shape.d);
        break;
    }
    paint(doc, shape);
    doc.restore();
  }
  for (const text of steps.texts) {
    doc.font(FACE_NAMES[text.bold ? 'semibold' : 'regular']).fontSize(text.size).fillColor(text.fill);
    const width = doc.widthOfString(text.value);
    const left = text.x - (text.anchor === 'middle' ? width / 2 : text.anchor === 'end' ? width : 0);
    doc.text(text.value, x + left, y + text.y, { lineBreak: false, baseline: 'alphabetic' });
  }
}

/** Fills, then strokes, as SVG paints; SVG's miter limit. */
function paint(doc: PDFKit.PDFDocument, shape: Paint): void {
  if (shape.stroke !== null) {
    doc.lineWidth(shape.strokeWidth).strokeColor(shape.stroke).miterLimit(4);
    if (shape.dash !== null) doc.dash(shape.dash[0], { space: shape.dash[1] });
  }
  if (shape.fill !== null) doc.fillColor(shape.fill);
  if (shape.fill !== null && shape.stroke !== null) doc.fillAndStroke();
  else if (shape.fill !== null) doc.fill();
  else doc.stroke();
}

function drawThroughSvgToPdfkit(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, size: { width: number; height: number; name: string }): void {
  SVGtoPDF(doc, svg, x, y, {
    width: size.width,
    height: size.height,
    assumePt: true,
    fontCallback: (_family, bold, italic) => FACE_NAMES[bold ? 'semibold' : italic ? 'italic' : 'regular'],
    warningCallback: (message) => {
      throw new Error(`picture ${size.name}: ${message}`);
    },
  });
}
