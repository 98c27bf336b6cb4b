import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { ClinicalSettingsSchema } from '../../src/clinical/settings.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { renderStudyLetters } from '../../src/letters/render-letters.ts';
import type { PersonName } from '../../src/model/study.ts';
import { measure } from '../../src/letters/pictures/svg-parts.ts';
import { letterFonts } from '../../src/fonts/fonts.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/02-osteopenia-woman-58/', import.meta.url));

/** Fixture 02 (osteopenia, released as it is) with another patient's name. */
async function studyNamed(name: Partial<PersonName>, patientId?: string, settings = DEFAULT_CONFIG.clinical): Promise<AssessedStudy> {
  const { studies } = await ingestPaths([FIXTURE]);
  const study = studies[0]!;
  return assessStudy({ ...study, patient: { ...study.patient, id: patientId ?? study.patient.id, name: { ...study.patient.name!, ...name } } }, undefined, settings);
}

async function lettersText(study: AssessedStudy): Promise<{ gp: string; patient: string; held: boolean[] }> {
  const templates = await loadTemplates('nl');
  const letters = await renderStudyLetters(study, DEFAULT_CONFIG, templates, { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const text = async (pdf: Buffer) => (await extractPdfText(pdf)).join('\n').replace(/\s+/g, ' ');
  return { gp: await text(letters[0]!.pdf), patient: await text(letters[1]!.pdf), held: letters.map((letter) => letter.held) };
}

describe('every name printable', () => {
  it.each([
    ['Chinese', { family: '陳', given: '大文' }, ['陳', '大']],
    ['Arabic', { family: 'الحسيني', given: 'محمد' }, ['الحسيني']],
    ['Greek', { family: 'Παπαδόπουλος', given: 'Ελένη' }, ['Παπαδόπουλος', 'Ε.']],
    ['emoji', { family: 'Jansen 😀', given: 'Anna' }, ['Jansen 😀']],
    ['Hindi, Hebrew and Thai', { family: 'देवी', given: 'שרה สมชาย' }, ['देवी']],
  ])('a %s name is printed in both letters, which stay releasable', async (_, name, printed) => {
    const study = await studyNamed(name);
    expect(study.classification.flags.map((f) => f.code)).not.toContain('UNPRINTABLE_TEXT');
    expect(study.classification.releasable).toBe(true);
    const letters = await lettersText(study);
    for (const part of printed) expect(letters.gp).toContain(part);
    expect(letters.patient).toContain(printed[0]);
    expect(letters.held).toEqual([false, false]);
  });

  it('a name with a character no font can draw holds the study with UNPRINTABLE_TEXT, naming the code point, not the name', async () => {
    const study = await studyNamed({ family: 'Geheim\ue000' });
    const flag = study.classification.flags.find((f) => f.code === 'UNPRINTABLE_TEXT');
    expect(flag?.message).toContain('family name: U+E000');
    expect(flag?.message).not.toContain('Geheim');
    expect(study.classification.holdingFlags).toContain('UNPRINTABLE_TEXT');
    expect(study.classification.releasable).toBe(false);
    const letters = await lettersText(study);
    expect(letters.held).toEqual([true, true]);
    expect(letters.gp).toContain('CONCEPT – nog niet vrijgegeven');
  });

  it("a letter's text does not depend on the names in the letters made before it", async () => {
    // Greek Ε is a composite of Latin E: subsetting it left E without a character in every later letter
    await lettersText(await studyNamed({ family: 'Παπαδόπουλος', given: 'Ελένη' }));
    const held = await lettersText(await studyNamed({ family: 'Geheim\ue000' }));
    expect(held.gp).toContain('CONCEPT – nog niet vrijgegeven');
  });

  it('a word shaped between two letters (as a picture measures its texts) keeps its characters', async () => {
    await lettersText(await studyNamed({ family: 'Παπαδόπουλος', given: 'Ελένη' }));
    // shaped runs are kept across letters: one shaped now (as the pictures measure their texts
    // before the letter is drawn) must not take the Latin E the Greek subset left without a character
    measure('EENMALIG ', 9, 'regular');
    const run = letterFonts().regular.layout('EENMALIG ') as unknown as { glyphs: { codePoints: number[] }[] };
    expect(run.glyphs.map((glyph) => String.fromCodePoint(...glyph.codePoints)).join('')).toBe('EENMALIG ');
  });

  it('an unassigned code point in the patient ID holds the study too, even when the configuration holds nothing', async () => {
    const study = await studyNamed({}, 'SYN\u0378', ClinicalSettingsSchema.parse({ holdingFlags: [] }));
    expect(study.classification.holdingFlags).toEqual(['UNPRINTABLE_TEXT']);
    expect(study.classification.releasable).toBe(false);
  });

  it('a middle name, whose initial the letters print, is checked too', async () => {
    const study = await studyNamed({ family: 'Berg', given: 'Jan', middle: '민준' });
    expect(study.classification.flags.find((f) => f.code === 'UNPRINTABLE_TEXT')?.message).toContain('middle name: U+BBFC');
    expect(study.classification.releasable).toBe(false);
  });
});
