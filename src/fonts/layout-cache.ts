/**
 * Text shaping, kept across letters. Shaping a word (fontkit's `layout`: OpenType lookups,
 * positioning) was most of a letter's render time, and pdfkit keeps its word cache for one
 * document only. The same words come back in every letter, so each parsed font keeps its runs for
 * the process; what a caller may change (pdfkit scales the positions in place) is handed out as a copy.
 */

/** The parts of a fontkit glyph run that shaping makes and its users read. */
interface GlyphRunLike {
  glyphs: unknown[];
  positions: object[];
}

type Layout = (text: string, ...rest: unknown[]) => GlyphRunLike;

/** Runs kept per font before the cache starts again: a few thousand words and numbers serve every letter. */
const MAX_RUNS = 20_000;

const cached = new WeakSet<object>();

/** Makes `font.layout` remember its runs; calling it again on the same font changes nothing. */
export function cacheLayouts(font: object): void {
  if (cached.has(font)) return;
  cached.add(font);
  const target = font as { layout: Layout };
  const shape = target.layout.bind(font);
  const runs = new Map<string, GlyphRunLike>();
  target.layout = (text: string, ...rest: unknown[]) => {
    const key = rest.length === 0 || rest.every((value) => value === undefined) ? text : `${text}\u0000${JSON.stringify(rest)}`;
    let run = runs.get(key);
    if (run === undefined) {
      run = shape(text, ...rest);
      if (runs.size >= MAX_RUNS) runs.clear();
      runs.set(key, run);
    }
    return copyOf(run);
  };
}

/** A run whose positions may be changed without changing the kept one; the glyphs are shared (read only). */
function copyOf(run: GlyphRunLike): GlyphRunLike {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(run) as object) as GlyphRunLike, run);
  copy.glyphs = [...run.glyphs];
  copy.positions = run.positions.map((position) => Object.assign(Object.create(Object.getPrototypeOf(position) as object) as object, position));
  return copy;
}
