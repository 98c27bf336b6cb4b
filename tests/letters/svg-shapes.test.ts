import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/letters/letter-document.ts';
import { readPictureSteps } from '../../src/letters/svg-shapes.ts';
import { lettersOf } from '../helpers/letters.ts';

type Picture = Extract<Block, { kind: 'picture' }>;

async function picturesOf(prefix: string): Promise<Picture[]> {
  const { gp, patient } = await lettersOf(prefix);
  return [gp, patient].flatMap((letter) => letter.letter.document.blocks.filter((block): block is Picture => block.kind === 'picture'));
}

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">${body}</svg>`;

describe("the pictures' SVG read back as drawing steps", () => {
  it('reads every shape and text of the score scale and the BMD trend the letters draw (so none falls back to the general renderer)', async () => {
    // fixture 27: a GP letter with the scale and a trend of five panels; fixture 03: the scale past -2.5
    const pictures = [...(await picturesOf('27')), ...(await picturesOf('03'))];
    expect(pictures.map((picture) => picture.name).sort()).toEqual(['bmdTrend', 'scoreScale', 'scoreScale', 'scoreScale', 'scoreScale']);
    for (const picture of pictures) {
      const steps = readPictureSteps(picture.svg);
      expect(steps, picture.name).not.toBeNull();
      expect(steps!.width).toBe(picture.width);
      expect(steps!.height).toBe(picture.height);
      expect(steps!.shapes.length).toBe([...picture.svg.matchAll(/<(line|rect|circle|path) /g)].length);
      const texts = [...picture.svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!.replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
      expect(steps!.texts.map((text) => text.value)).toEqual(texts);
    }
  });

  it('gives each shape its paint as SVG would: areas black unless told, outlines only when asked, dashes kept', () => {
    const steps = readPictureSteps(
      svg('<rect x="1" y="2" width="3" height="4"/><path d="M1 1 L5 5 Z" fill="none" stroke="#1a1a1a" stroke-width="0.7"/><line x1="0" y1="0" x2="9" y2="0" stroke="#4d4d4d" stroke-dasharray="3 2"/>'),
    )!;
    expect(steps.shapes).toEqual([
      { kind: 'rect', x: 1, y: 2, width: 3, height: 4, fill: '#000000', stroke: null, strokeWidth: 1, dash: null },
      { kind: 'path', d: 'M1 1 L5 5 Z', dx: 0, dy: 0, fill: null, stroke: '#1a1a1a', strokeWidth: 0.7, dash: null },
      { kind: 'line', x1: 0, y1: 0, x2: 9, y2: 0, fill: null, stroke: '#4d4d4d', strokeWidth: 1, dash: [3, 2] },
    ]);
  });

  it('moves what a translated group holds, texts included, and unescapes text', () => {
    const steps = readPictureSteps(
      svg('<g class="a" data-x="1"><g transform="translate(2 10)"><circle cx="1" cy="1" r="2" fill="#ffffff"/><text x="5" y="6" font-size="8" text-anchor="end" font-weight="bold" fill="#1a1a1a">T &lt; 2 &amp; &apos;x&apos;</text></g></g><text x="5" y="6" font-size="8" fill="#1a1a1a">b</text>'),
    )!;
    expect(steps.shapes).toEqual([{ kind: 'circle', cx: 3, cy: 11, r: 2, fill: '#ffffff', stroke: null, strokeWidth: 1, dash: null }]);
    expect(steps.texts).toEqual([
      { value: "T < 2 & 'x'", x: 7, y: 16, size: 8, anchor: 'end', bold: true, fill: '#1a1a1a' },
      { value: 'b', x: 5, y: 6, size: 8, anchor: 'start', bold: false, fill: '#1a1a1a' },
    ]);
  });

  it('gives up on anything the pictures do not write: another element, transform, paint, path command, scale or entity', () => {
    for (const body of [
      '<ellipse cx="1" cy="1" rx="2" ry="1"/>',
      '<g transform="rotate(45)"><line x1="0" y1="0" x2="1" y2="1" stroke="#000000"/></g>',
      '<rect x="0" y="0" width="1" height="1" fill="url(#hatch)"/>',
      '<line x1="0" y1="0" x2="1" y2="1" stroke="#000000" stroke-linecap="round"/>',
      '<path d="M0 0 C1 1 2 2 3 3" stroke="#000000"/>',
      '<path d="m0 0 l1 1" stroke="#000000"/>',
      '<text x="0" y="0" font-size="8" fill="#000000">&#x41;</text>',
      '<text x="0" y="0" font-size="8" fill="#000000" font-style="italic">a</text>',
      '<text x="0" y="0" font-size="8" fill="#000000"><tspan>a</tspan></text>',
      '<g><line x1="0" y1="0" x2="1" y2="1" stroke="#000000"/>',
    ]) {
      expect(readPictureSteps(svg(body)), body).toBeNull();
    }
    expect(readPictureSteps('<svg width="100" height="50" viewBox="0 0 200 100"></svg>')).toBeNull();
    expect(readPictureSteps('<svg width="100" height="50" viewBox="0 0 100 50" preserveAspectRatio="none"></svg>')).toBeNull();
  });
});
