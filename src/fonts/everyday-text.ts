/**
 * Text every face of Source Sans 3 draws in full: printable Basic Latin, Latin-1 and Latin
 * Extended-A, which hold nearly every name in a Dutch hospital's records (tests/fonts/everyday-text.test.ts
 * checks the faces cover it). Such text needs no font parsed to know that it can be printed.
 */
const EVERYDAY = /^[\u0020-\u007e\u00a0-\u017f]*$/;

export function isEverydayText(text: string): boolean {
  return EVERYDAY.test(text);
}
