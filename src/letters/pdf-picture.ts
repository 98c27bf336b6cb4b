import SVGtoPDF from 'svg-to-pdfkit';
import { FACE_NAMES } from './draw-text.ts';

/** One line of text exactly as the pictures write it (`svgText` in pictures/svg-parts.ts). */
const TEXT = /<text class="[^"]*" x="(-?[\d.]+)" y="(-?[\d.]+)" font-size="([\d.]+)"(?: text-anchor="(middle|end)")?( font-weight="bold")? fill="(#[0-9a-f]{6})">([^<]*)<\/text>/g;

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/**
 * A picture's SVG at (x, y) on the page, drawn one to one. Its lines, areas and marks go through
 * svg-to-pdfkit; its texts are set by pdfkit itself, in the letter's faces and with the letter's
 * shaping cache: svg-to-pdfkit places text glyph by glyph, which was most of a picture's cost.
 * A text in a transformed group, or a drawing not at its own scale, is left to svg-to-pdfkit whole.
 */
export function drawSvgPicture(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, size: { width: number; height: number; name: string }): void {
  const ownScale = new RegExp(`^<svg [^>]*width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}"`).test(svg);
  const textInGroup = [...svg.matchAll(/<g [^>]*>([\s\S]*?)<\/g>/g)].some((group) => group[1]!.includes('<text'));
  const setHere = ownScale && !textInGroup;
  SVGtoPDF(doc, setHere ? svg.replace(TEXT, '') : svg, x, y, {
    width: size.width,
    height: size.height,
    assumePt: true,
    fontCallback: (_family, bold, italic) => FACE_NAMES[bold ? 'semibold' : italic ? 'italic' : 'regular'],
    warningCallback: (message) => {
      throw new Error(`picture ${size.name}: ${message}`);
    },
  });
  if (!setHere) return;
  for (const [, tx, ty, fontSize, anchor, bold, fill, escaped] of svg.matchAll(TEXT)) {
    const value = escaped!.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity]!);
    doc.font(FACE_NAMES[bold ? 'semibold' : 'regular']).fontSize(Number(fontSize)).fillColor(fill!);
    const width = doc.widthOfString(value);
    const left = Number(tx) - (anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0);
    doc.text(value, x + left, y + Number(ty), { lineBreak: false, baseline: 'alphabetic' });
  }
}
