import { fontRuns, type RunFont } from '../fonts/font-runs.ts';
import { fallbackFont, letterFonts, type Face } from '../fonts/fonts.ts';

/** The names the faces of Source Sans 3 are registered under in every letter. */
export const FACE_NAMES = { regular: 'body', semibold: 'strong', italic: 'italic' } as const satisfies Record<Face, string>;

const registered = new WeakMap<PDFKit.PDFDocument, Set<number>>();

function useFont(doc: PDFKit.PDFDocument, font: RunFont): void {
  if (typeof font !== 'number') return void doc.font(FACE_NAMES[font]);
  let fonts = registered.get(doc);
  if (!fonts) registered.set(doc, (fonts = new Set()));
  const name = `fallback-${font}`;
  // pdfkit accepts a parsed fontkit font where its types only name file paths and buffers
  if (!fonts.has(font)) doc.registerFont(name, fallbackFont(font) as unknown as string);
  fonts.add(font);
  doc.font(name);
}

/**
 * `doc.text` for text that may need more than one font: each run in its own font, joined with
 * pdfkit's `continued` so the line wrapping runs on across them. Text Source Sans 3 can draw
 * all of (nearly every line of a letter) is one plain `doc.text` call, as before.
 */
export function drawText(doc: PDFKit.PDFDocument, face: Face, text: string, options: PDFKit.Mixins.TextOptions = {}, x?: number, y?: number): void {
  const runs = fontRuns(text, face);
  if (runs.length === 0) runs.push({ font: face, text });
  const fallback = runs.some((run) => typeof run.font === 'number');
  const primary = letterFonts()[face];
  const runOptions = (i: number): PDFKit.Mixins.TextOptions =>
    fallback
      ? {
          ...options,
          continued: i < runs.length - 1,
          // pdfkit sets a run's baseline by its own font's ascent; Noto Arabic's is taller than
          // Source Sans's, so every run goes on the baseline Source Sans would have.
          baseline: -(primary.ascent / primary.unitsPerEm) * (doc as unknown as { _fontSize: number })._fontSize,
          // pdfkit shapes word by word unless features are given, which puts the words of an
          // Arabic or Hebrew name in left-to-right order; given features, a run is shaped whole.
          // A Source Sans run keeps pdfkit's faster word-by-word shaping (null, not undefined:
          // a continued text inherits every option left undefined).
          features: typeof runs[i]?.font === 'number' ? [] : (null as unknown as undefined),
        }
      : options;
  runs.forEach((run, i) => {
    useFont(doc, run.font);
    if (i === 0 && x !== undefined) doc.text(run.text, x, y, runOptions(i));
    else doc.text(run.text, runOptions(i));
  });
}
