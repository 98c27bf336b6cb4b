import { describe, expect, it } from 'vitest';
import { isEverydayText } from '../../src/fonts/everyday-text.ts';
import { letterFonts } from '../../src/fonts/fonts.ts';

describe('everyday text, known printable without parsing a font', () => {
  it('is drawn in full by every face of Source Sans 3', () => {
    const missing: string[] = [];
    for (let codePoint = 0; codePoint <= 0x2ff; codePoint++) {
      const character = String.fromCodePoint(codePoint);
      if (!isEverydayText(character)) continue;
      for (const [face, font] of Object.entries(letterFonts())) if (!font.hasGlyphForCodePoint(codePoint)) missing.push(`${face} U+${codePoint.toString(16)}`);
    }
    expect(missing).toEqual([]);
  });

  it('holds Dutch names and leaves out control characters and other scripts', () => {
    expect(isEverydayText('Mevrouw A. de Vries-Noëlle, Ĳsselmeer 12')).toBe(true);
    expect(isEverydayText('Jansen\u0007')).toBe(false);
    expect(isEverydayText('Jansen\u0085')).toBe(false);
    expect(isEverydayText('Παπαδόπουλος')).toBe(false);
    expect(isEverydayText('김민준')).toBe(false);
  });
});
