import { describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { freshLettersOf, lettersOf } from '../helpers/letters.ts';

// The category sentences of both letters, as the templates word them (templates/nl).
const GP_DIAGNOSES = [/Normale botdichtheid \(WHO\)/, /Osteopenie \(WHO\)/, /Osteoporose \(WHO\)/, /Ernstige \(manifeste\) osteoporose/, /Botdichtheid lager dan verwacht/, /Botdichtheid binnen de verwachting/];
const PATIENT_RESULTS = [/normale botdichtheid\./, /verminderde botdichtheid \(osteopenie\)/, /U heeft botontkalking \(osteoporose\)\. Uw botten/, /U heeft botontkalking \(osteoporose\), en u heeft al een botbreuk/, /lager dan we verwachten bij iemand van uw leeftijd/, /past bij wat we verwachten bij iemand van uw leeftijd/];
const count = (text: string, patterns: RegExp[]) => patterns.filter((pattern) => pattern.test(text)).length;

describe('letter text, read back from the PDF', () => {
  it('GP letter: category sentence, index region, numbers with decimal commas, NHG statement, follow-up', async () => {
    const { gp } = await lettersOf('02');
    expect(gp.text).toContain('Osteopenie (WHO): verminderde botdichtheid. Laagste T-score -1,8 in de femurhals links.');
    expect(gp.text).toContain('femurhals * links 0,764 -1,8 -0,8');
    expect(gp.text).toContain('LWK L1-L4 1,048 -1,1 0,0');
    expect(gp.text).toContain('Volgens de NHG-Standaard Fractuurpreventie: geen osteoporose (T-score > -2,5).');
    expect(gp.text).toContain('Wij adviseren een herhaling van de botdichtheidsmeting over 3 jaar (rond februari 2029).');
    expect(gp.text).toContain('patiëntnummer SYN0002');
    expect(gp.text).not.toMatch(/\d\.\d{3}/); // no decimal point in Dutch numbers
  });

  it('GP letter: VFA with the vertebrae assessed and each fracture with its Genant grade, as wervelfractuur', async () => {
    const { gp } = await lettersOf('17');
    expect(gp.text).toContain('Beoordeelde wervels: T4–L4.');
    expect(gp.text).toContain('Wervelfractuur L1: Genant graad 2 (matig).');
    expect(gp.text).toContain('Ernstige (manifeste) osteoporose (WHO): laagste T-score -2,7 in de LWK L1-L4, met een fragiliteitsfractuur (wervelfractuur L1).');
    const notEvaluable = await lettersOf('19');
    expect(notEvaluable.gp.text).toContain('Beoordeelde wervels: T4, T7–L4. Niet beoordeelbaar: T5, T6.');
    expect(notEvaluable.gp.text).toContain('Geen wervelfracturen.');
  });

  it('GP letter: treatment indication after a vertebral fracture without osteoporosis, and fracture history counted', async () => {
    const crush = await lettersOf('18');
    expect(crush.gp.text).toContain('Wervelfractuur T8: Genant graad 3 (ernstig).');
    expect(crush.gp.text).toContain('Vanwege de wervelfractuur is er, ook zonder osteoporose op de DXA, een indicatie');
    const history = await lettersOf('03');
    expect(history.gp.text).toContain('eerdere fractuur van de pols (2021)');
    expect(history.gp.text).not.toContain('teen');
  });

  it('GP letter: caveats in plain words, and the secondary-cause advice after a Z ≤ −2,0', async () => {
    const { gp } = await lettersOf('06');
    expect(gp.text).toContain('Omdat T-scores bij deze patiënt niet van toepassing zijn');
    expect(gp.text).toContain('De Z-score van -2,0 of lager maakt een secundaire oorzaak mogelijk');
    expect(gp.text).toContain('De bepalende score ligt binnen 0,1 van een grenswaarde');
  });

  it('the table holds only regions that may be shown: no Ward\'s, trochanter, single vertebrae or bilateral mean', async () => {
    const { gp } = await lettersOf('01');
    const table = gp.text.slice(gp.text.indexOf('Meetwaarden'), gp.text.indexOf('* laagste waarde'));
    expect(table).not.toMatch(/ward|troch|gemiddeld|LWK L[1-4] \d|L2-L4/i);
    expect(gp.text).not.toMatch(/gemiddeld|LWK L[1-4] \d/i);
    expect(gp.text).toContain('LWK L2-L4');
  });

  it.each(FIXTURE_STUDIES.map((study) => [study.id] as const))('%s: one diagnosis, never "inzakking", no osteopenie on the Z path', async (id) => {
    const { gp, patient } = await lettersOf(id.slice(0, 2));
    const study = FIXTURE_STUDIES.find((s) => s.id === id)!;
    expect(count(gp.text, GP_DIAGNOSES)).toBe(study.expected.category === null ? 0 : 1);
    expect(count(patient.text, PATIENT_RESULTS)).toBe(study.expected.category === null ? 0 : 1);
    for (const letter of [gp, patient]) {
      expect(letter.text).not.toMatch(/inzakking|hoogteverlies|wigvorming|mild(e)? osteoporose|matige osteoporose/i);
      if (study.expected.path !== 'T') expect(letter.text.toLowerCase()).not.toContain('osteopenie');
    }
    expect(patient.text).not.toContain('g/cm²');
    expect(patient.text).not.toMatch(/\d,\d{3}/); // no BMD values in the patient letter
  });

  it('patient letter: plain result, wervelbreuk, what happens next, lifestyle advice and contact details', async () => {
    const { patient } = await lettersOf('18');
    expect(patient.text).toContain('Beste meneer Kok,');
    expect(patient.text).toContain('Uw botdichtheid is lager dan normaal: verminderde botdichtheid (osteopenie).');
    expect(patient.text).toContain('We zagen een wervelbreuk in de borstwervelkolom (het midden van de rug).');
    expect(patient.text).toContain('Uw huisarts bespreekt met u een behandeling met medicijnen');
    expect(patient.text).toContain('1000 tot 1200 milligram');
    expect(patient.text).toContain('Bel ons op 010 123 45 67, op werkdagen van 8.30 tot 16.30 uur.');
    const noVfa = await lettersOf('02');
    expect(noVfa.patient.text).not.toContain('wervelbreuk');
    expect(noVfa.patient.text).toContain('Beste mevrouw De Vries,');
  });

  it('English letters use a decimal point and English words', async () => {
    const { gp, patient } = await lettersOf('02', 'en');
    expect(gp.text).toContain('Osteopenia (WHO): low bone mass. Lowest T-score -1.8 at the femoral neck left.');
    expect(gp.text).toContain('femoral neck * left 0.764 -1.8 -0.8');
    expect(patient.text).toContain('Dear Mrs De Vries,');
  });
});

describe('letter layout and files', () => {
  it('numbers pages only when a letter runs to two pages, and names the patient, the birth date and the reference on page 2', async () => {
    // fixture 01's GP letter fits one page without the score scale (with it, the signature goes to page 2)
    const withoutScale = { ...DEFAULT_CONFIG, letters: { ...DEFAULT_CONFIG.letters, pictures: { ...DEFAULT_CONFIG.letters.pictures, scale: { patient: true, gp: false } } } };
    const onePage = await lettersOf('01', 'nl', withoutScale);
    expect(onePage.gp.pages).toHaveLength(1);
    expect(onePage.gp.text).not.toContain('Pagina');
    const oneFolio = await lettersOf('01');
    expect(oneFolio.patient.pages).toHaveLength(2);
    expect(oneFolio.patient.pages[0]).toContain('Pagina 1 van 2');
    expect(oneFolio.patient.pages[1]).toContain('Pagina 2 van 2');
    expect(oneFolio.patient.pages[1]).toContain('mevrouw M. Jansen, geboren 2 september 1963 · kenmerk DXA18260314');
  });

  it('marks every page of a held letter as a draft, and no page of a releasable one', async () => {
    const held = await lettersOf('17');
    expect(held.gp.letter.held).toBe(true);
    for (const page of held.gp.pages) expect(page).toContain('CONCEPT – nog niet vrijgegeven');
    const released = await lettersOf('02');
    expect(released.gp.text).not.toContain('CONCEPT');
  });

  it('lays the large diagonal watermark word over every page of a held letter, in its language, and over none of a released one', async () => {
    const lines = (page: string) => page.split('\n');
    const held = await lettersOf('17');
    for (const letter of [held.gp, held.patient]) {
      expect(letter.pages.length).toBeGreaterThan(1);
      // the watermark is a line of its own, besides the banner line that also starts with the word
      for (const page of letter.pages) expect(lines(page)).toContain('CONCEPT');
    }
    const heldEnglish = await lettersOf('17', 'en');
    for (const letter of [heldEnglish.gp, heldEnglish.patient]) {
      for (const page of letter.pages) {
        expect(lines(page)).toContain('DRAFT');
        expect(page).not.toContain('CONCEPT');
      }
    }
    const released = await lettersOf('18');
    expect(released.gp.letter.held).toBe(false);
    for (const letter of [released.gp, released.patient]) {
      expect(letter.pages.length).toBeGreaterThan(1);
      for (const page of letter.pages) expect(page).not.toMatch(/CONCEPT|DRAFT/);
    }
    const releasedEnglish = await lettersOf('18', 'en');
    for (const page of [...releasedEnglish.gp.pages, ...releasedEnglish.patient.pages]) expect(page).not.toMatch(/CONCEPT|DRAFT/);
  });

  it('embeds its font and carries title and author, not the patient name, in its metadata', async () => {
    const { gp } = await lettersOf('02');
    const pdf = gp.letter.pdf.toString('latin1');
    expect(pdf).toContain('/FontFile2');
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+SourceSans3/);
    expect(pdf).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(gp.letter.fileName).toBe('2026-02-03_DXA22260203_gp.pdf');
    expect(gp.letter.fileName).not.toMatch(/vries/i);
  });

  it('gives the same bytes for the same input and creation date', async () => {
    // two renders of their own (lettersOf would give the one it rendered for the file)
    const first = await freshLettersOf('10');
    const second = await freshLettersOf('10');
    expect(Buffer.compare(first.gp.letter.pdf, second.gp.letter.pdf)).toBe(0);
    expect(Buffer.compare(first.patient.letter.pdf, second.patient.letter.pdf)).toBe(0);
  });
});
