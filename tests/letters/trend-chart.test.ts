import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import type { Block, LetterDocument } from '../../src/letters/letter-document.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { inlineSvg } from '../../src/letters/pictures/svg-parts.ts';
import { trendChart } from '../../src/letters/pictures/trend-chart.ts';
import { assessedFixture, lettersOf } from '../helpers/letters.ts';

type Picture = Extract<Block, { kind: 'picture' }>;
const trendPicture = (letter: LetterDocument): Picture | undefined =>
  letter.blocks.find((block): block is Picture => block.kind === 'picture' && block.name === 'bmdTrend');

interface DrawnSeries {
  region: string;
  side: string;
  points: { date: string; bmd: number; cy: number }[];
  significantSteps: number;
  steps: number;
  changeWords: string[];
}

/** The panels, points and steps as drawn, read back from the SVG. */
function drawn(svg: string): DrawnSeries[] {
  return [...svg.matchAll(/<g class="trend-series" data-region="([^"]+)" data-side="([^"]*)"[^>]*>([\s\S]*?)<\/g>/g)].map((match) => {
    const body = match[3]!;
    return {
      region: match[1]!,
      side: match[2]!,
      points: [...body.matchAll(/<circle class="trend-point" data-date="([^"]+)" data-bmd="([^"]+)" cx="[^"]+" cy="([^"]+)"/g)].map((p) => ({ date: p[1]!, bmd: Number(p[2]), cy: Number(p[3]) })),
      significantSteps: [...body.matchAll(/class="trend-step significant"/g)].length,
      steps: [...body.matchAll(/class="trend-step/g)].length,
      changeWords: [...body.matchAll(/<text class="trend-change"[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]!),
    };
  });
}

describe('the BMD trend in the GP letter', () => {
  it('fixture 27 (two earlier studies on the same iDXA): three values per diagnostic region and side, the significant steps drawn and named, nothing else called a change', async () => {
    const { gp, patient } = await lettersOf('27');
    const picture = trendPicture(gp.letter.document);
    expect(picture).toBeDefined();
    const series = drawn(picture!.svg);
    expect(series.map((s) => `${s.region} ${s.side}`)).toEqual(['L1-L4 ', 'femoral_neck left', 'femoral_neck right', 'total_hip left', 'total_hip right']);
    for (const s of series) {
      expect(s.points.map((p) => p.date)).toEqual(['2022-09-20', '2024-09-24', '2026-10-06']);
      expect(s.steps).toBe(2);
      // higher on the page is more bone: the drawn heights keep the values' order
      const byBmd = [...s.points].sort((a, b) => a.bmd - b.bmd).map((p) => p.date);
      const byHeight = [...s.points].sort((a, b) => b.cy - a.cy).map((p) => p.date);
      expect(byHeight).toEqual(byBmd);
    }
    const study = await assessedFixture('27');
    const comparison = study.classification.comparison!.rows;
    for (const s of series) {
      // the last step is the comparison table's row: significant there, marked here, and the other way round
      const row = comparison.find((r) => r.region === s.region && (r.side ?? '') === s.side)!;
      expect(s.points.at(-1)!.bmd).toBe(row.currentBmd);
      expect(s.points.at(-2)!.bmd).toBe(row.priorBmd);
      expect(s.significantSteps).toBe(row.significant ? 1 : 0);
      expect(s.changeWords).toEqual(row.significant ? [`${row.deltaBmd.toFixed(3).replace('.', ',')} significant`] : []);
    }
    expect(series.filter((s) => s.significantSteps > 0).map((s) => `${s.region} ${s.side}`)).toEqual(['femoral_neck left', 'total_hip left']);
    expect(gp.text).toContain('Verloop van de BMD De BMD per regio op hetzelfde type apparaat sinds 20 september 2022');
    expect(gp.text).toContain('-0,072 significant');
    expect(gp.text).toContain('sep 2022 sep 2024 okt 2026');
    expect(gp.text).toContain('significante verandering (≥ LSC) geen significante verandering ± LSC van de regio');
    // after the comparison, before the VFA
    expect(gp.text.indexOf('Verloop van de BMD')).toBeGreaterThan(gp.text.indexOf('Vergelijking met de vorige meting'));
    expect(gp.text.indexOf('Verloop van de BMD')).toBeLessThan(gp.text.indexOf('Wervelfractuurbeoordeling'));
    // the patient letter has no trend
    expect(trendPicture(patient.letter.document)).toBeUndefined();
    expect(patient.text).not.toContain('Verloop van de BMD');
  });

  it('fixture 28 (the earlier study on a Hologic): no trend, only the category comparison', async () => {
    const { gp } = await lettersOf('28');
    expect(trendPicture(gp.letter.document)).toBeUndefined();
    expect(gp.text).not.toContain('Verloop van de BMD');
    expect(gp.text).toContain('op een ander type apparaat gedaan');
  });

  it('no trend without an earlier study (fixture 02), and none when the department switches it off', async () => {
    expect(trendPicture((await lettersOf('02')).gp.letter.document)).toBeUndefined();
    const off: DepartmentConfig = { ...DEFAULT_CONFIG, letters: { ...DEFAULT_CONFIG.letters, pictures: { ...DEFAULT_CONFIG.letters.pictures, trend: { gp: false } } } };
    const { gp } = await lettersOf('27', 'nl', off);
    expect(trendPicture(gp.letter.document)).toBeUndefined();
    expect(gp.text).not.toContain('Verloop van de BMD');
    expect(gp.text).toContain('Vergelijking met de vorige meting'); // the table stays
  });

  it('in English: the same drawing with English dates and words', async () => {
    const { gp } = await lettersOf('27', 'en');
    expect(gp.text).toContain('BMD over time');
    expect(gp.text).toContain('-0.072 significant');
    expect(gp.text).toContain('Sep 2022');
    expect(gp.text).toContain('significant change (≥ LSC) no significant change');
  });

  it('for the web page: an image named by its alternative text, which says every value and each significant change', async () => {
    const study = await assessedFixture('27');
    const chart = trendChart(study.classification.trend, await loadTemplates('nl'), 620)!;
    expect(chart.alt).toContain('femurhals links: 0,764 g/cm² in september 2022, 0,740 g/cm² in september 2024, 0,668 g/cm² in oktober 2026 (significante verandering van -0,072 g/cm² sinds september 2024)');
    expect(chart.alt).toContain('LWK L1-L4: ');
    const inline = inlineSvg(chart);
    expect(inline).toMatch(/^<svg role="img" aria-label="Verloop van de BMD op hetzelfde type apparaat\. /);
    expect(inline).toContain('<title>Verloop van de BMD');
  });
});
