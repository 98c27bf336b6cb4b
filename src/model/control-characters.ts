/**
 * Characters that steer a terminal or a reader instead of being shown: C0 and C1 controls, DEL,
 * the bidi marks, embeddings, overrides and isolates (a U+202E can make a line read backwards),
 * and the Unicode line and paragraph separators.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** Whether a text holds any of them: no letter may print one, whatever glyph a font maps it to. */
export function hasControlCharacters(text: string): boolean {
  return new RegExp(CONTROL.source, 'u').test(text);
}

/**
 * Any untrusted string made safe for one line of text output: each control character written
 * as `\x1b` (below U+0100) or `\u{202e}`, everything else kept. A newline in a value is escaped
 * too, so a header field can never start a line of its own.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.codePointAt(0) as number;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * JSON text with the controls JSON.stringify leaves raw (C1, bidi, separators) written as
 * `\uXXXX` escapes: the same value for a JSON reader, nothing live for a terminal.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(CONTROL, (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
}
