/**
 * pdfkit's text layout, shared by every letter of the process. pdfkit keeps the shaped words of a
 * font for one document and, for each line it sets or measures, joins the words' glyphs with an
 * `Array.concat` per word (quadratic in the words of a line). Here a font's words, shaped and
 * scaled to pdfkit's 1000-unit em once, are kept for the process per parsed font, and a line is
 * built by appending. pdfkit reads a run's glyphs and positions and never changes them (word
 * spacing copies the one position it widens), so the kept runs are handed out as they are.
 */

interface GlyphLike {
  advanceWidth: number;
}

interface ScaledRun {
  glyphs: GlyphLike[];
  positions: object[];
  advanceWidth: number;
}

/** The parts of pdfkit's embedded font (its class is not exported) that the layout uses. */
interface EmbeddedFontLike {
  font: object;
  layoutRun(text: string, features?: unknown): ScaledRun;
  layout(text: string, features?: unknown, onlyWidth?: boolean): { glyphs: GlyphLike[] | null; positions: object[] | null; advanceWidth: number };
}

/**
 * Words kept per font before its store starts again. The letters' own words are a few thousand;
 * names, numbers and dates come once each, and a store of 20,000 kept a thread's heap growing
 * through a 10,000-study backlog.
 */
const MAX_WORDS = 5_000;

const wordsByFont = new WeakMap<object, Map<string, ScaledRun>>();
const patched = new WeakSet<object>();

function shapedWord(font: EmbeddedFontLike, word: string): ScaledRun {
  let words = wordsByFont.get(font.font);
  if (words === undefined) wordsByFont.set(font.font, (words = new Map()));
  let run = words.get(word);
  if (run === undefined) {
    // fontkit's run works its advance out on every read; kept as a number
    const shaped = font.layoutRun(word);
    run = { glyphs: shaped.glyphs, positions: shaped.positions, advanceWidth: shaped.advanceWidth };
    if (words.size >= MAX_WORDS) words.clear();
    words.set(word, run);
  }
  return run;
}

/** pdfkit's layout: the text cut after each space or tab, each piece shaped on its own. */
function layout(this: EmbeddedFontLike, text: string, features?: unknown, onlyWidth?: boolean) {
  if (features) return this.layoutRun(text, features);
  const glyphs: GlyphLike[] | null = onlyWidth ? null : [];
  const positions: object[] | null = onlyWidth ? null : [];
  let advanceWidth = 0;
  let start = 0;
  for (let index = 0; index <= text.length; index++) {
    const atEnd = index === text.length;
    const code = atEnd ? 0 : text.charCodeAt(index);
    if (!(atEnd ? start < index : code === 32 || code === 9)) continue;
    const run = shapedWord(this, text.slice(start, index + 1));
    if (glyphs !== null && positions !== null) {
      for (const glyph of run.glyphs) glyphs.push(glyph);
      for (const position of run.positions) positions.push(position);
    }
    advanceWidth += run.advanceWidth;
    start = index + 1;
  }
  return { glyphs, positions, advanceWidth };
}

/**
 * Gives the embedded fonts of a document (and, since pdfkit's font class is shared, of every
 * later document) the shared layout. Call after the document has set a font.
 */
export function shareLayouts(doc: PDFKit.PDFDocument): void {
  const font = (doc as unknown as { _font?: object })._font;
  if (font === undefined) throw new Error('shareLayouts: the document has no font yet');
  const prototype = Object.getPrototypeOf(font) as EmbeddedFontLike;
  if (patched.has(prototype)) return;
  if (typeof prototype.layoutRun !== 'function' || typeof prototype.layout !== 'function') throw new Error('pdfkit no longer has the layout this module replaces');
  prototype.layout = layout;
  patched.add(prototype);
}
