import { describe, expect, it } from 'vitest';
import { fontRuns, unprintableText } from '../../src/fonts/font-runs.ts';
import { FALLBACK_FONT_FILES } from '../../src/fonts/fonts.ts';

const fallback = (fragment: string) => FALLBACK_FONT_FILES.findIndex((file) => file.includes(fragment));

describe('text split into runs by the font that can draw it', () => {
  it('keeps text Source Sans 3 can draw as one run, Greek, Cyrillic and Turkish included', () => {
    for (const text of ['Mevrouw A. de Vries-Noëlle', 'Παπαδόπουλος', 'Иванова', 'Şahin İlkay Çelik Ğ']) {
      expect(fontRuns(text, 'regular')).toEqual([{ font: 'regular', text }]);
    }
  });

  it('gives each script its Noto font and the rest back to Source Sans', () => {
    expect(fontRuns('mevrouw 陳大文, geboren', 'semibold')).toEqual([
      { font: 'semibold', text: 'mevrouw ' },
      { font: fallback('NotoSansHans'), text: '陳大文' },
      { font: 'semibold', text: ', geboren' },
    ]);
    expect(fontRuns('देवी', 'regular')).toEqual([{ font: fallback('NotoSans_'), text: 'देवी' }]);
    expect(fontRuns('שרה', 'regular')).toEqual([{ font: fallback('Hebrew'), text: 'שרה' }]);
    expect(fontRuns('สมชาย', 'regular')).toEqual([{ font: fallback('Thai'), text: 'สมชาย' }]);
  });

  it('keeps the words of an Arabic name in one run, so it reads right to left as a whole', () => {
    expect(fontRuns('mevrouw م.ع. الحسيني (58 jaar)', 'regular')).toEqual([
      { font: 'regular', text: 'mevrouw ' },
      { font: fallback('Arabic'), text: 'م.ع. الحسيني' },
      { font: 'regular', text: ' (58 jaar)' },
    ]);
  });

  it('keeps an emoji sequence whole, in the emoji font', () => {
    expect(fontRuns('Anna 👨‍👩‍👧 ❤️', 'regular')).toEqual([
      { font: 'regular', text: 'Anna ' },
      { font: fallback('Emoji'), text: '👨‍👩‍👧 ❤️' },
    ]);
  });
});

describe('text no letter font can draw', () => {
  it('is none for the scripts the fonts cover', () => {
    expect(unprintableText('陈伟 陳偉 الحسيني Παπαδόπουλος Иванов देवी שרה สมชาย 😀 👍🏽 🇳🇱 Şahin')).toEqual([]);
  });

  it.each([
    ['a private-use character', 'Test\ue000', ['\ue000']],
    ['an unassigned code point', 'a\u0378b', ['\u0378']],
    ['a supplementary private-use character', 'x\u{10fffd}', ['\u{10fffd}']],
    ['Korean Hangul, which no bundled font covers', 'Kim 김민', ['김', '민']],
    ['a control character, whatever glyph a font maps it to', 'Evil\u001b[2J', ['\u001b']],
    ['a bidi override', 'abc\u202efdp', ['\u202e']],
  ])('finds %s', (_, text, missing) => {
    expect(unprintableText(text)).toEqual(missing);
  });
});
