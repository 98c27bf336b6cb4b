import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import type { Block, LetterDocument } from '../../src/letters/letter-document.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { SCALE_HIGH, SCALE_LOW, scoreAt, scoreScale } from '../../src/letters/pictures/score-scale.ts';
import { inlineSvg } from '../../src/letters/pictures/svg-parts.ts';
import { renderStudyLetters } from '../../src/letters/render-letters.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import type { Classification } from '../../src/model/classification.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { lettersOf } from '../helpers/letters.ts';
import { bornYearsBefore, fullExam, studyWith } from '../helpers/study-builder.ts';

type Picture = Extract<Block, { kind: 'picture' }>;
const picture = (letter: LetterDocument): Picture | undefined => letter.blocks.find((block): block is Picture => block.kind === 'picture');

/** The marker's x, the band's ends, and the score they stand for, read back from the SVG. */
function marker(svg: string): { score: number; x: number } {
  const x = Number(/<line class="marker"[^>]* x1="([-\d.]+)"/.exec(svg)?.[1]);
  const x0 = Number(/data-band-x0="([-\d.]+)"/.exec(svg)?.[1]);
  const x1 = Number(/data-band-x1="([-\d.]+)"/.exec(svg)?.[1]);
  return { x, score: scoreAt(x, x0, x1) };
}

/** The texts the SVG draws, in order. */
const svgTexts = (svg: string) => [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&apos;/g, "'").replace(/&amp;/g, '&'));

const WHO_WORDS = /normaal|osteopenie|osteoporose/;

async function lettersFor(study: AssessedStudy, config: DepartmentConfig = DEFAULT_CONFIG) {
  const templates = await loadTemplates('nl');
  const letters = await renderStudyLetters(study, config, templates, { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const read = async (i: number) => (await extractPdfText(letters[i]!.pdf)).join('\n').replace(/\s+/g, ' ');
  return { gp: { document: letters[0]!.document, text: await read(0) }, patient: { document: letters[1]!.document, text: await read(1) } };
}

describe('the score scale in the letters', () => {
  it('T path (fixture 02, osteopenia −1,8): the WHO zones by name, the score with its region, the marker where −1,8 lies, in both letters', async () => {
    const { gp, patient } = await lettersOf('02');
    expect(gp.text).toContain('T-score -1,8 · femurhals links');
    // the patient letter names the region in the patient's words
    expect(patient.text).toContain('Uw T-score: -1,8 (gemeten in uw heup)');
    for (const letter of [gp, patient]) {
      const scale = picture(letter.letter.document);
      expect(scale).toBeDefined();
      expect(letter.text).toContain('+2,0 +1,0 0,0 -1,0 -2,0 -2,5 -3,0 -4,0');
      expect(letter.text).toContain('normaal osteopenie osteoporose');
      expect(marker(scale!.svg).score).toBeCloseTo(-1.8, 3);
      expect(scale!.svg).toMatch(/^<svg [^>]*width="467" height="\d+" viewBox="0 0 467 \d+"/);
      expect(scale!.svg).toContain("font-family=\"'Source Sans 3'");
    }
    // after the result sentence in the patient letter; in the GP letter's conclusion, after the NHG statement
    const blocks = patient.letter.document.blocks;
    const at = blocks.findIndex((block) => block.kind === 'picture');
    expect(blocks[at - 1]).toMatchObject({ kind: 'paragraph', bold: true, text: expect.stringContaining('osteopenie') });
    expect(patient.text.indexOf('Uw T-score: -1,8')).toBeGreaterThan(patient.text.indexOf('Uw botdichtheid is lager dan normaal'));
    expect(patient.text.indexOf('Uw T-score: -1,8')).toBeLessThan(patient.text.indexOf('Hoe gaat het verder?'));
    expect(gp.text.indexOf('T-score -1,8 · femurhals')).toBeGreaterThan(gp.text.indexOf('Volgens de NHG-Standaard'));
    expect(gp.text.indexOf('T-score -1,8 · femurhals')).toBeLessThan(gp.text.indexOf('Wervelfractuurbeoordeling'));
  });

  it('T path with a fracture that makes it severe (fixture 17): says so in words beside the marker', async () => {
    const { gp, patient } = await lettersOf('17');
    expect(gp.text).toContain('T-score -2,7 · LWK L1-L4');
    expect(gp.text).toContain('met wervelfractuur L1: ernstige osteoporose');
    // to the patient as the result sentence says it, never naming the vertebra
    expect(patient.text).toContain('Uw T-score: -2,7 (gemeten in uw lendenwervels)');
    expect(patient.text).toContain('osteoporose, met een botbreuk die daarbij past');
    expect(patient.text).not.toContain('L1');
    for (const letter of [gp, patient]) expect(marker(picture(letter.letter.document)!.svg).score).toBeCloseTo(-2.7, 3);
  });

  it('Z path (fixture 06, man of 46; fixture 07, premenopausal): one cut-off at −2,0, the age-comparison words, never a WHO word', async () => {
    for (const [prefix, score] of [['06', -2.0], ['07', -1.3]] as const) {
      const { gp, patient } = await lettersOf(prefix);
      for (const letter of [gp, patient]) {
        const scale = picture(letter.letter.document)!;
        const words = svgTexts(scale.svg).join(' ');
        expect(words).not.toMatch(WHO_WORDS);
        expect(words).not.toContain('T-score');
        expect(words).not.toContain('-2,5');
        expect(words).toContain('botdichtheid binnen de verwachting voor de leeftijd');
        expect(words).toContain('botdichtheid lager dan verwacht voor de leeftijd');
        expect(letter.text).toContain(letter === gp ? `Z-score ${score.toFixed(1).replace('.', ',')} · LWK L1-L4` : `Uw Z-score: ${score.toFixed(1).replace('.', ',')} (gemeten in uw lendenwervels)`);
        expect(letter.text).toContain('+2,0 +1,0 0,0 -1,0 -2,0 -3,0 -4,0');
        expect(marker(scale.svg).score).toBeCloseTo(score, 3);
      }
    }
  });

  it('paediatric path: the Z scale with the age-comparison words', async () => {
    const study = await assessStudy(studyWith({ birthDate: bornYearsBefore(15), rows: fullExam(-0.5, -2.4) }));
    expect(study.classification.path).toBe('paediatric');
    const { gp, patient } = await lettersFor(study);
    for (const letter of [gp, patient]) {
      const scale = picture(letter.document)!;
      expect(svgTexts(scale.svg).join(' ')).not.toMatch(WHO_WORDS);
      expect(letter.text).toContain(letter === gp ? 'Z-score -2,4 · LWK L1-L4' : 'Uw Z-score: -2,4 (gemeten in uw lendenwervels)');
      expect(letter.text).toContain('botdichtheid lager dan verwacht voor de leeftijd');
      expect(marker(scale.svg).score).toBeCloseTo(-2.4, 3);
    }
  });

  it('is never split over a page break: in every fixture letter the marker\'s words, the numbers and the zone names share a page', async () => {
    for (const study of FIXTURE_STUDIES) {
      const letters = await lettersOf(study.id.slice(0, 2));
      for (const letter of [letters.gp, letters.patient]) {
        const pages = letter.pages.map((page) => page.replace(/\s+/g, ' '));
        const marker = pages.findIndex((page) => /[TZ]-score:? -?\d,\d( ·|  ?\()/.test(page) && page.includes('+2,0 +1,0 0,0'));
        expect(marker, `${study.id} ${letter.letter.kind}`).toBeGreaterThanOrEqual(0);
        expect(pages[marker]).toMatch(/normaal osteopenie osteoporose|botdichtheid lager dan verwacht voor de leeftijd/);
      }
    }
  }, 90_000); // every fixture, both letters: grows with the fixtures

  it('no diagnosis: no scale in either letter', async () => {
    const study = await assessStudy(studyWith({ rows: [['wards', 'left', -2.0, -1.0]] }));
    expect(study.classification.category).toBeNull();
    const { gp, patient } = await lettersFor(study);
    for (const letter of [gp, patient]) {
      expect(picture(letter.document)).toBeUndefined();
      expect(letter.text).not.toContain('+2,0 +1,0');
    }
  });

  it('switched off per letter by the department: absent from that letter only', async () => {
    const study = await assessStudy(studyWith({ rows: fullExam(-1.8) }));
    const config = (patient: boolean, gp: boolean): DepartmentConfig => ({ ...DEFAULT_CONFIG, letters: { ...DEFAULT_CONFIG.letters, pictures: { ...DEFAULT_CONFIG.letters.pictures, scale: { patient, gp } } } });
    const noPatient = await lettersFor(study, config(false, true));
    expect(picture(noPatient.patient.document)).toBeUndefined();
    expect(noPatient.patient.text).not.toContain('T-score -1,8 ·');
    expect(picture(noPatient.gp.document)).toBeDefined();
    const noGp = await lettersFor(study, config(true, false));
    expect(picture(noGp.gp.document)).toBeUndefined();
    expect(noGp.gp.text).not.toContain('normaal osteopenie osteoporose');
    expect(picture(noGp.patient.document)).toBeDefined();
  });
});

describe('the score scale drawing', () => {
  const base: Pick<Classification, 'path' | 'category' | 'indexScore' | 'indexRegion' | 'indexSide' | 'fragilityFractures'> = {
    path: 'T', category: 'osteopenia', indexScore: -1.8, indexRegion: 'femoral_neck', indexSide: 'left', fragilityFractures: [],
  };

  it('places the marker linearly: +2 at the band\'s left end, −4 at its right end, each cut-off where it lies', async () => {
    const templates = await loadTemplates('nl');
    const at = (indexScore: number) => marker(scoreScale({ ...base, indexScore }, templates)!.svg);
    expect(at(SCALE_HIGH).x).toBe(14);
    expect(at(SCALE_LOW).x).toBe(467 - 14);
    for (const score of [1.3, 0, -1, -1.1, -2.5, -3.7]) expect(at(score).score).toBeCloseTo(score, 3);
    expect(at(-1).x - at(2).x).toBeCloseTo((467 - 28) / 2, 1);
  });

  it('a score beyond the band: the marker at the end, an arrow, and the real value in words', async () => {
    const templates = await loadTemplates('nl');
    const low = scoreScale({ ...base, category: 'osteoporosis', indexScore: -4.6 }, templates)!;
    expect(marker(low.svg).x).toBe(467 - 14);
    expect(low.svg).toContain('class="beyond"');
    expect(svgTexts(low.svg)).toContain('lager dan de schaal (-4,6)');
    expect(svgTexts(low.svg)).toContain('T-score -4,6 · femurhals links');
    const high = scoreScale({ ...base, category: 'normal', indexScore: 2.3 }, templates)!;
    expect(marker(high.svg).x).toBe(14);
    expect(svgTexts(high.svg)).toContain('hoger dan de schaal (2,3)');
  });

  it('zones differ by grey level and hatching, not colour: every fill is a grey', async () => {
    const templates = await loadTemplates('nl');
    const svg = scoreScale({ ...base, fragilityFractures: [] }, templates)!.svg;
    const colours = [...svg.matchAll(/(?:fill|stroke)="(#[0-9a-f]{6})"/g)].map((m) => m[1]!);
    const grey = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return Math.max(r!, g!, b!) - Math.min(r!, g!, b!) <= 16;
    };
    expect(colours.filter((c) => !grey(c))).toEqual([]);
    expect(svg).toContain('class="hatch"');
    expect(new Set([...svg.matchAll(/<rect class="zone"[^>]* fill="(#[0-9a-f]{6})"/g)].map((m) => m[1])).size).toBe(3);
  });

  it('in English, with a decimal point; no scale without a diagnosis', async () => {
    const templates = await loadTemplates('en');
    const svg = scoreScale(base, templates)!.svg;
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['T-score -1.8 · femoral neck left', 'normal', 'osteopenia', 'osteoporosis', '-2.5']));
    expect(scoreScale({ ...base, category: null }, templates)).toBeNull();
  });

  it('inline on a web page: an image named by its alternative text, every text escaped', async () => {
    const templates = await loadTemplates('nl');
    const scale = scoreScale(base, templates)!;
    const inline = inlineSvg(scale);
    expect(scale.alt).toBe('Schaal van de T-score van +2,0 tot -4,0: deze patiënt heeft T-score -1,8 in de femurhals links, osteopenie.');
    expect(inline).toMatch(/^<svg role="img" aria-label="Schaal van de T-score[^"]*"/);
    expect(inline).toContain('<title>Schaal van de T-score');
    expect(inline).not.toMatch(/<(?!\/?(svg|title|rect|line|path|text)[ >])/);
  });
});
