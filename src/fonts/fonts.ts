import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Fontkit from 'fontkit';

const require = createRequire(import.meta.url);

/**
 * fontkit, loaded when the first font is parsed: most `dexa ingest` runs parse none. Its ES module
 * build, the one pdfkit imports, so that a process holds one fontkit.
 */
function parseFont(bytes: Buffer): ReturnType<typeof Fontkit.create> {
  const fontkit = require(fileURLToPath(import.meta.resolve('fontkit'))) as typeof Fontkit;
  return fontkit.create(bytes);
}
const face = (path: string) => require.resolve(`@expo-google-fonts/source-sans-3/${path}`);
const expo = (path: string) => require.resolve(`@expo-google-fonts/${path}`);
// The @embedpdf packages export only their index; their fonts sit beside it.
const embedpdf = (pkg: string, file: string) => join(dirname(require.resolve(`@embedpdf/${pkg}`)), '..', 'fonts', file);

/** Source Sans 3 (SIL Open Font License), embedded in every letter: full Latin coverage, ë, ï, é included. */
export const FONT_FILES = {
  regular: face('400Regular/SourceSans3_400Regular.ttf'),
  semibold: face('600SemiBold/SourceSans3_600SemiBold.ttf'),
  italic: face('400Regular_Italic/SourceSans3_400Regular_Italic.ttf'),
} as const;

/**
 * Noto (SIL Open Font License) for what Source Sans 3 cannot draw, tried in this order: the names
 * of patients in Dutch hospitals come in Latin, Turkish, Greek, Cyrillic, Devanagari, Arabic,
 * Hebrew, Thai and Chinese script, and now and then with an emoji. One weight each: a name in a
 * bold line is set in the regular weight of its script. Korean Hangul is not covered (a letter
 * with it is held, UNPRINTABLE_TEXT).
 */
export const FALLBACK_FONT_FILES = [
  expo('noto-sans/400Regular/NotoSans_400Regular.ttf'), // Latin, Greek, Cyrillic, Devanagari
  expo('noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf'),
  embedpdf('fonts-hebrew', 'NotoSansHebrew-Regular.ttf'),
  expo('noto-sans-thai/400Regular/NotoSansThai_400Regular.ttf'),
  embedpdf('fonts-sc', 'NotoSansHans-Regular.otf'), // every CJK ideograph of the BMP's main blocks, simplified and traditional; kana
  expo('noto-emoji/400Regular/NotoEmoji_400Regular.ttf'), // monochrome
] as const;

export type Face = keyof typeof FONT_FILES;
export type ParsedFont = ReturnType<typeof Fontkit.create>;
let parsed: Record<Face, ParsedFont> | null = null;
const fallbacks: (ParsedFont | undefined)[] = [];

/**
 * The fonts, parsed once per process: parsing a TTF took half of every letter's render time, and
 * pdfkit takes a parsed font as well as a file. Each document still embeds its own subset.
 */
export function letterFonts(): Record<Face, ParsedFont> {
  parsed ??= {
    regular: parseFont(readFileSync(FONT_FILES.regular)),
    semibold: parseFont(readFileSync(FONT_FILES.semibold)),
    italic: parseFont(readFileSync(FONT_FILES.italic)),
  };
  return parsed;
}

/** A fallback font, parsed the first time a text needs it: most letters need none, and the CJK font is 8 MB. */
export function fallbackFont(index: number): ParsedFont {
  const file = FALLBACK_FONT_FILES[index];
  if (file === undefined) throw new RangeError(`no fallback font ${index}`);
  return (fallbacks[index] ??= parseFont(readFileSync(file)));
}

export const EMOJI_FALLBACK = FALLBACK_FONT_FILES.length - 1;

/**
 * Called before each letter. fontkit caches a glyph with the characters it was first made for,
 * and pdfkit writes those into the PDF's text layer. Subsetting a composite glyph (Greek Ε is
 * built from Latin E) makes its component glyphs with no characters at all, so every later letter
 * of the process read back `CONC PT`. Each letter starts with empty glyph caches; the parsed tables stay.
 */
export function freshGlyphCaches(): void {
  for (const font of [...Object.values(parsed ?? {}), ...fallbacks]) {
    if (font) (font as unknown as { _glyphs: Record<number, unknown> })._glyphs = {};
  }
}
