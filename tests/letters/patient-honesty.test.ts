import { describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { lettersOf } from '../helpers/letters.ts';

describe('the patient letter is honest about what was found (issue 10 item 6)', () => {
  it('fixture 18 (osteopenia with a grade-3 vertebral fracture and a treatment advised): never "nog geen botontkalking"', async () => {
    const { patient } = await lettersOf('18');
    expect(patient.text).not.toContain('nog geen botontkalking');
    expect(patient.text).toContain('verminderde botdichtheid (osteopenie). U heeft ook een botbreuk die past bij kwetsbare botten.');
    expect(patient.text).toContain('Uw huisarts bespreekt met u een behandeling met medicijnen');
  });

  it('osteopenia without a counting fracture keeps the plain sentence (fixture 02)', async () => {
    expect((await lettersOf('02')).patient.text).toContain('Dit is nog geen botontkalking');
  });

  it('fixture 19 (T5 and T6 not evaluable): says part of the vertebrae could not be seen, not a bare "geen wervelbreuk"', async () => {
    const { patient } = await lettersOf('19');
    expect(patient.text).toContain('Een deel van uw wervels was op de opname niet goed te zien.');
    expect(patient.text).toContain('Bij de wervels die we wel goed konden bekijken, zagen we geen wervelbreuk.');
    expect(patient.text).not.toContain('. We zagen geen wervelbreuk');
    expect((await lettersOf('15')).patient.text).toContain('We zagen geen wervelbreuk.');
  });

  it.each(FIXTURE_STUDIES.map((study) => [study.id] as const))('%s: no vertebral level names in the patient letter', async (id) => {
    const { patient } = await lettersOf(id.slice(0, 2));
    expect(patient.text).not.toMatch(/\b(wervels?|wervelbreuk)\s*\(?\s*[TL]\d{1,2}\b/);
    expect(patient.text).not.toMatch(/\b[TL](?:[4-9]|1[0-2])\b/);
  });

  it('where the fracture is, in plain words (fixtures 18 and 17)', async () => {
    expect((await lettersOf('18')).patient.text).toContain('We zagen een wervelbreuk in de borstwervelkolom (het midden van de rug).');
    expect((await lettersOf('17')).patient.text).toContain('We zagen een wervelbreuk in de lendenwervelkolom (de onderrug).');
    expect((await lettersOf('18', 'en')).patient.text).toContain('We saw a broken vertebra in the middle of your back (the thoracic spine).');
  });

  it('calcium mostly from dairy, and vitamin D as the seeds say, in both languages', async () => {
    const nl = (await lettersOf('01')).patient.text;
    expect(nl).toContain('Kalk krijgt u vooral uit zuivel');
    expect(nl).toContain('10 tot 20 microgram');
    const en = (await lettersOf('02', 'en'));
    expect(en.patient.text).toContain('vitamin D tablet of 20 micrograms');
    expect(en.gp.text).toContain('vitamin D3 20 micrograms (800 IU) a day');
  });
});
