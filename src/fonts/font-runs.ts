import { hasControlCharacters } from '../model/control-characters.ts';
import { isEverydayText } from './everyday-text.ts';
import { EMOJI_FALLBACK, FALLBACK_FONT_FILES, fallbackFont, letterFonts, type Face, type ParsedFont } from './fonts.ts';

/** A face of Source Sans 3, or the number of a fallback font in FALLBACK_FONT_FILES. */
export type RunFont = Face | number;

/** A piece of text and the one font that draws all of it. */
export interface FontRun {
  font: RunFont;
  text: string;
}

/** Joiners, variation selectors, tags: they steer the glyphs around them and need none of their own. */
const IGNORABLE = /[\u034f\u200b-\u200d\u2060\ufe00-\ufe0f\u{e0020}-\u{e007f}\u{e0100}-\u{e01ef}]/u;
/** A character asked to look like an emoji goes to the emoji font first, even where Source Sans has a text glyph for it. */
const EMOJI = /\p{Emoji_Presentation}|\ufe0f/u;
/** Spaces and punctuation between two words of one script stay with that script's font, so an Arabic name is one right-to-left run. */
const NEUTRAL = /^[\p{Z}\p{P}]+$/u;
const FALLBACKS = FALLBACK_FONT_FILES.map((_, i) => i);
// made at first use: setting up ICU's grapheme rules costs more than a short run's whole check
let segmenter: Intl.Segmenter | null = null;
const graphemes = (text: string) => [...(segmenter ??= new Intl.Segmenter('nl', { granularity: 'grapheme' })).segment(text)];
const coverage = new WeakMap<ParsedFont, Map<number, boolean>>();

function fontOf(font: RunFont): ParsedFont {
  return typeof font === 'number' ? fallbackFont(font) : letterFonts()[font];
}

function covers(font: ParsedFont, codePoint: number): boolean {
  let known = coverage.get(font);
  if (!known) coverage.set(font, (known = new Map()));
  let has = known.get(codePoint);
  if (has === undefined) known.set(codePoint, (has = font.hasGlyphForCodePoint(codePoint)));
  return has;
}

function coversAll(font: ParsedFont, text: string): boolean {
  for (const c of text) if (!covers(font, c.codePointAt(0) as number)) return false;
  return true;
}

/** The first font that has a glyph for every character of a grapheme cluster, or null when none has. */
function fontFor(cluster: string, face: Face): RunFont | null {
  if (hasControlCharacters(cluster)) return null;
  const needed = [...cluster].filter((c) => !IGNORABLE.test(c)).join('');
  const order: RunFont[] = EMOJI.test(cluster) ? [EMOJI_FALLBACK, face, ...FALLBACKS] : [face, ...FALLBACKS];
  return order.find((font) => coversAll(fontOf(font), needed)) ?? null;
}

interface Cluster {
  text: string;
  font: RunFont | null;
}

function clusters(text: string, face: Face): Cluster[] {
  const found = graphemes(text).map(({ segment }) => ({ text: segment, font: fontFor(segment, face) }));
  const neighbour = (from: number, step: number) => {
    for (let i = from + step; i >= 0 && i < found.length; i += step) if (!NEUTRAL.test((found[i] as Cluster).text)) return (found[i] as Cluster).font;
    return null;
  };
  found.forEach((cluster, i) => {
    if (cluster.font !== face || !NEUTRAL.test(cluster.text)) return;
    const before = neighbour(i, -1);
    if (typeof before === 'number' && before === neighbour(i, 1) && coversAll(fontOf(before), cluster.text)) cluster.font = before;
  });
  return found;
}

/**
 * Text split into runs by the font that can draw it: Source Sans 3 in the given face where it can,
 * else the first Noto fallback that has every glyph of a grapheme cluster (so a base letter and its
 * marks, or an emoji sequence, stay in one font). pdfkit does no font fallback itself.
 * A cluster that no font can draw stays in the face and shows as a box; such text holds the
 * letter (see unprintableText).
 */
export function fontRuns(text: string, face: Face): FontRun[] {
  if (coversAll(fontOf(face), text)) return [{ font: face, text }];
  const runs: FontRun[] = [];
  for (const cluster of clusters(text, face)) {
    const font = cluster.font ?? face;
    const parsed = fontOf(font);
    // an ignorable the chosen font has no glyph for would be drawn as a box
    const drawn = [...cluster.text].filter((c) => !IGNORABLE.test(c) || covers(parsed, c.codePointAt(0) as number)).join('');
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += drawn;
    else runs.push({ font, text: drawn });
  }
  return runs.filter((run) => run.text.length > 0);
}

/** The grapheme clusters of a text that no letter font can draw, in any face, each once. */
export function unprintableText(text: string): string[] {
  if (isEverydayText(text)) return []; // without loading a font: most studies' names
  const missing = new Set<string>();
  for (const face of ['regular', 'semibold', 'italic'] as const) {
    if (coversAll(fontOf(face), text)) continue;
    for (const cluster of clusters(text, face)) if (cluster.font === null) missing.add(cluster.text);
  }
  return [...missing];
}
