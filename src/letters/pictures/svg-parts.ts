import { letterFonts } from '../../fonts/fonts.ts';

/** The pictures' ink: near-black lines and text, a dark grey for what is secondary. */
export const INK = '#1a1a1a';
export const MUTED = '#4d4d4d';
/** The letters' font; the PDF maps every family to the registered faces of Source Sans 3. */
export const PICTURE_FONT_FAMILY = "'Source Sans 3', 'Source Sans Pro', sans-serif";

/** A drawing for a letter (placed as vector graphics) and a web page (inline). */
export interface Picture {
  svg: string;
  width: number;
  height: number;
  /** the picture in words: the web page's alternative text */
  alt: string;
}

export interface TextOptions {
  anchor?: 'middle' | 'end';
  weight?: number;
  fill?: string;
  cls: string;
}

/** One line of text, escaped; bold from weight 600 (the letters have a regular and a semibold face). */
export function svgText(value: string, x: number, y: number, size: number, options: TextOptions): string {
  const anchor = options.anchor ? ` text-anchor="${options.anchor}"` : '';
  const weight = options.weight && options.weight >= 600 ? ' font-weight="bold"' : '';
  return `<text class="${options.cls}" x="${round(x)}" y="${round(y)}" font-size="${size}"${anchor}${weight} fill="${options.fill ?? INK}">${escapeXml(value)}</text>`;
}

/** Where a text of `textWidth` starts so that it is centred on `x` and stays inside the picture. */
export function placed(x: number, textWidth: number, width: number): number {
  return Math.max(2, Math.min(width - 2 - textWidth, x - textWidth / 2));
}

/** Advances of the pictures' few texts in font units, by face: shaping is most of a text's cost. */
const advances = new Map<string, number>();

/** The width of a text in the letters' font at `size` points. */
export function measure(value: string, size: number, face: 'regular' | 'semibold'): number {
  const font = letterFonts()[face];
  const key = `${face}\0${value}`;
  let advance = advances.get(key);
  if (advance === undefined) {
    // fontkit's layout gives the run's advance in font units
    advance = (font.layout(value) as { advanceWidth: number }).advanceWidth;
    if (advances.size > 2000) advances.clear();
    advances.set(key, advance);
  }
  return (advance / font.unitsPerEm) * size;
}

/** Words in lines no wider than `room`; a word longer than that stands alone. */
export function wrap(value: string, room: number, size: number): string[] {
  const lines: string[] = [];
  for (const word of value.split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && measure(`${last} ${word}`, size, 'regular') <= room) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Coordinates to a hundredth of a point: exact enough, and short in the SVG. */
export const round = (value: number) => Math.round(value * 100) / 100;

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A picture for a web page, inline: an image to assistive technology, named by its alternative text. */
export function inlineSvg(picture: Pick<Picture, 'svg' | 'alt'>): string {
  const alt = escapeXml(picture.alt);
  return picture.svg.replace(/^<svg /, `<svg role="img" aria-label="${alt}" `).replace(/>/, `><title>${alt}</title>`);
}
