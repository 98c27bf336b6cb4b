import { escapeControls } from './control-characters.ts';

/** At most this many characters of any value read from a file appear in a message. */
export const MAX_QUOTED_CHARACTERS = 200;

/**
 * A value from the file, quoted for a message, a reason file or a log line: shortened to
 * 200 characters with its full length said, and control characters escaped, so a hostile file
 * can neither flood the output nor drive a terminal. `'L1-L4'`; `'999…' (52000000 characters)`.
 */
export function quoteInput(value: string): string {
  const { shown, cut } = shorten(value);
  return cut ? `'${shown}…' (${value.length} characters)` : `'${shown}'`;
}

/** The same without quotes, for values that read as words: a modality, a coding scheme, a UID. */
export function shortInput(value: string): string {
  const { shown, cut } = shorten(value);
  return cut ? `${shown}… (${value.length} characters)` : shown;
}

function shorten(value: string): { shown: string; cut: boolean } {
  const cut = value.length > MAX_QUOTED_CHARACTERS;
  const shown = escapeControls(cut ? value.slice(0, MAX_QUOTED_CHARACTERS) : value);
  return { shown, cut };
}
