import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { Language } from '../../src/config/config-schema.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { renderStudyLetters } from '../../src/letters/render-letters.ts';
import type { ScannerFrax } from '../../src/model/frax.ts';
import type { ExtractedStudy } from '../../src/model/study.ts';
import { FIXTURES } from '../helpers/letters.ts';

const REPORTED: ScannerFrax = {
  reported: true,
  majorOsteoporotic: { withoutPriorFracture: 13, withPriorFracture: 21 },
  hip: { withoutPriorFracture: 2.9, withPriorFracture: 4.7 },
  riskFactors: 'BMI 22.1<br>Parent hip fracture<br/><b>Glucocorticoids</b>',
};
const NOT_REPORTED: ScannerFrax = { reported: false, reason: 'Patient age is outside the range of 40 to 90 years' };

async function extracted(prefix: string): Promise<ExtractedStudy> {
  const folder = (await readdir(FIXTURES)).find((name) => name.startsWith(prefix));
  if (!folder) throw new Error(`no fixture ${prefix}`);
  const { studies } = await ingestPaths([join(FIXTURES, folder)]);
  return studies[0]!;
}

async function letters(frax: ScannerFrax | undefined, language: Language = 'nl') {
  const base = await extracted('02');
  const study = await assessStudy(frax === undefined ? base : { ...base, frax });
  const rendered = await renderStudyLetters(study, DEFAULT_CONFIG, await loadTemplates(language), { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const text = async (index: number) => (await extractPdfText(rendered[index]!.pdf)).join('\n').replace(/\s+/g, ' ');
  return { study, gp: await text(0), patient: await text(1), pdf: rendered[0]!.pdf };
}

describe('FRAX as the scanner reports it, in the GP letter only', () => {
  it('nl: both 10-year risks with decimal commas, with and without a prior fracture, labelled as the scanner\'s, with its risk factors', async () => {
    const { gp, patient } = await letters(REPORTED);
    expect(gp).toContain('FRAX volgens de scanner');
    expect(gp).toContain('Berekend door de scanner en niet door ons beoordeeld');
    expect(gp).toContain('zonder eerdere fractuur: majeure osteoporotische fractuur 13,0 %, heupfractuur 2,9 %');
    expect(gp).toContain('met eerdere fractuur: majeure osteoporotische fractuur 21,0 %, heupfractuur 4,7 %');
    expect(gp).toContain('risicofactoren volgens de scanner: BMI 22.1; Parent hip fracture; Glucocorticoids');
    expect(gp).not.toMatch(/<br|<b>/);
    expect(patient).not.toMatch(/FRAX|fractuurrisico|heupfractuur|13,0|2,9 %/);
  });

  it('en: the same section in English with decimal points', async () => {
    const { gp, patient } = await letters(REPORTED, 'en');
    expect(gp).toContain('FRAX from the scanner');
    expect(gp).toContain('Calculated by the scanner and not reviewed by us');
    expect(gp).toContain('without a prior fracture: major osteoporotic fracture 13.0 %, hip fracture 2.9 %');
    expect(gp).toContain('with a prior fracture: major osteoporotic fracture 21.0 %, hip fracture 4.7 %');
    expect(patient).not.toContain('FRAX');
  });

  it('a risk given only without a prior fracture prints one line, a missing value as a dash', async () => {
    const { gp } = await letters({ reported: true, majorOsteoporotic: { withoutPriorFracture: 8.5, withPriorFracture: null }, hip: { withoutPriorFracture: null, withPriorFracture: null }, riskFactors: null });
    expect(gp).toContain('zonder eerdere fractuur: majeure osteoporotische fractuur 8,5 %, heupfractuur – %');
    expect(gp).not.toContain('met eerdere fractuur');
    expect(gp).not.toContain('risicofactoren volgens de scanner');
  });

  it('FRAX not reported: one line with the scanner\'s reason', async () => {
    const { gp, patient } = await letters(NOT_REPORTED);
    expect(gp).toContain('De scanner heeft geen FRAX berekend. Reden volgens de scanner: Patient age is outside the range of 40 to 90 years');
    expect(gp).not.toContain('majeure osteoporotische fractuur');
    expect(patient).not.toContain('FRAX');
  });

  it('no FRAX in the export: no section', async () => {
    const { gp } = await letters(undefined);
    expect(gp).not.toContain('FRAX');
  });

  it('the classification is the same with FRAX, without it, and with FRAX not reported', async () => {
    const without = (await letters(undefined)).study.classification;
    expect((await letters(REPORTED)).study.classification).toEqual(without);
    expect((await letters(NOT_REPORTED)).study.classification).toEqual(without);
    const high: ScannerFrax = { ...REPORTED, majorOsteoporotic: { withoutPriorFracture: 45, withPriorFracture: 60 }, hip: { withoutPriorFracture: 20, withPriorFracture: 30 } } as ScannerFrax;
    expect((await letters(high)).study.classification).toEqual(without);
  });

  it('a control character in the scanner\'s risk factors holds the letter (UNPRINTABLE_TEXT), naming the field and not the text', async () => {
    const { study } = await letters({ ...REPORTED, riskFactors: 'Smoker\u202eevil' } as ScannerFrax);
    const flag = study.classification.flags.find((f) => f.code === 'UNPRINTABLE_TEXT');
    expect(flag?.message).toContain('FRAX risk factors');
    expect(flag?.message).not.toContain('evil');
  });
});
