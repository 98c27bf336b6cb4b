import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { Language } from '../../src/config/config-schema.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { renderStudyLetters } from '../../src/letters/render-letters.ts';
import type { Patient } from '../../src/model/study.ts';
import { parsePersonName } from '../../src/readers/dicom-header.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/02-osteopenia-woman-58/', import.meta.url));

/** Both letters of fixture 02 with the patient's name as a PN string, read back from the PDFs. */
async function lettersFor(pn: string, sex: Patient['sex'], language: Language = 'nl'): Promise<{ gp: string; patient: string }> {
  const { studies } = await ingestPaths([FIXTURE]);
  const study = studies[0]!;
  const assessed = await assessStudy({ ...study, patient: { ...study.patient, name: parsePersonName(pn), sex } });
  const templates = await loadTemplates(language);
  const letters = await renderStudyLetters(assessed, DEFAULT_CONFIG, templates, { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const text = async (pdf: Buffer) => (await extractPdfText(pdf)).join('\n').replace(/\s+/g, ' ');
  return { gp: await text(letters[0]!.pdf), patient: await text(letters[1]!.pdf) };
}

describe('the patient name in the letters, by Dutch convention', () => {
  it.each([
    // PN, sex, GP letter (running text), patient letter salutation
    ['Berg^Jan^^van den', 'male', 'de heer J. van den Berg', 'Beste meneer Van den Berg,'],
    ['Berg, van den^Jan', 'male', 'de heer J. van den Berg', 'Beste meneer Van den Berg,'],
    ['VAN DEN BERG^ANNA', 'female', 'mevrouw A. van den Berg', 'Beste mevrouw Van den Berg,'],
    ['de Vries-van Dijk^Maria^Johanna', 'female', 'mevrouw M.J. de Vries-van Dijk', 'Beste mevrouw De Vries-van Dijk,'],
    ['Jansen-de Vries^Anna', 'female', 'mevrouw A. Jansen-de Vries', 'Beste mevrouw Jansen-de Vries,'],
    ["Hart^J.P.^^'t", 'male', "de heer J.P. 't Hart", "Beste meneer 't Hart,"],
    ['van den Berg^Anna', null, 'A. van den Berg', 'Beste A. van den Berg,'],
    ['van den Berg', 'female', 'mevrouw Van den Berg', 'Beste mevrouw Van den Berg,'],
    ['^Anna', 'female', 'Anna', 'Beste Anna,'],
  ] as const)('%s (%s): "%s", "%s"', async (pn, sex, reference, salutation) => {
    const { gp, patient } = await lettersFor(pn, sex);
    expect(gp).toContain(`Betreft: ${reference}, geboren`);
    expect(gp).toContain(`is bij ${reference} (58 jaar)`);
    expect(patient).toContain(salutation);
    for (const text of [gp, patient]) {
      expect(text).not.toMatch(/VAN DEN|Berg, van|meneer Berg|mevrouw Berg|\s,/);
      if (sex === null) expect(text).not.toMatch(/meneer|mevrouw|de heer/);
    }
  });

  it('English letters use the same name parts', async () => {
    const { gp, patient } = await lettersFor('Berg^Anna^^van den', 'female', 'en');
    expect(gp).toContain('Re: Mrs A. van den Berg, born');
    expect(patient).toContain('Dear Mrs Van den Berg,');
  });
});
