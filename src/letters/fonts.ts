import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as parseFont } from 'fontkit';

const require = createRequire(import.meta.url);
const face = (path: string) => require.resolve(`@expo-google-fonts/source-sans-3/${path}`);

/** Source Sans 3 (SIL Open Font License), embedded in every letter: full Latin coverage, ë, ï, é included. */
export const FONT_FILES = {
  regular: face('400Regular/SourceSans3_400Regular.ttf'),
  semibold: face('600SemiBold/SourceSans3_600SemiBold.ttf'),
  italic: face('400Regular_Italic/SourceSans3_400Regular_Italic.ttf'),
} as const;

type Face = keyof typeof FONT_FILES;
type ParsedFont = ReturnType<typeof parseFont>;
let parsed: Record<Face, ParsedFont> | null = null;

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
