import { describe, expect, it } from 'vitest';
import { DEFAULT_CLINICAL_SETTINGS } from '../../src/clinical/settings.ts';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { addressLines, findReferringPhysician } from '../../src/letters/addressee.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { renderStudyLetters } from '../../src/letters/render-letters.ts';
import { parsePersonName } from '../../src/readers/dicom-header.ts';
import { fixtureStudy, instanceBytes, profileBytes, readOk, readWholeStudy } from '../helpers/exports.ts';
import { lettersOf } from '../helpers/letters.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const POST = { context: { menopausalStatus: 'post' as const, fractureHistory: [] }, file: 'context.json' };

/** A synthetic study written by the fixture writer, read back from its bytes and assessed. */
async function assessed(study: FixtureStudy, config: DepartmentConfig = DEFAULT_CONFIG): Promise<AssessedStudy> {
  return assessStudy(mergeStudy(readWholeStudy(study)), POST, config.clinical);
}

async function letters(study: AssessedStudy, config: DepartmentConfig = DEFAULT_CONFIG) {
  const rendered = await renderStudyLetters(study, config, await loadTemplates('nl'), { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const read = async (index: number) => {
    const pages = await extractPdfText(rendered[index]!.pdf);
    return { held: rendered[index]!.held, pages, text: pages.join('\n').replace(/\s+/g, ' ') };
  };
  return { gp: await read(0), patient: await read(1) };
}

const practice: DepartmentConfig = {
  ...DEFAULT_CONFIG,
  referringPhysicians: [
    { name: 'Berg^J.^^van den', code: null, address: ['Huisartsenpraktijk De Linde', 'Lindelaan 4', '1234 CD Voorbeeldstad'] },
    { name: null, code: '01234567', address: ['Gezondheidscentrum Noord', 'Noorderweg 10'] },
  ],
};

describe('the header reader, on bytes made by the fixture writer', () => {
  it('reads ReferringPhysicianName (0008,0090) and PatientAddress (0010,1040) from a GE SR', () => {
    const extraction = readOk(instanceBytes(fixtureStudy('01'), 0));
    expect(extraction.study.referringPhysician).toEqual({ family: 'Vries', given: 'H.J.', middle: '', prefix: 'de', suffix: '' });
    expect(extraction.patient.address).toBe('Dorpsstraat 12^^Voorbeeldstad^^1234 AB^NL');
  });

  it('reads them from a profile SR, and an empty ReferringPhysicianName or no PatientAddress as null', () => {
    const profile = readOk(profileBytes(fixtureStudy('18'), 0));
    expect(profile.study.referringPhysician).toMatchObject({ family: 'Kuipers', given: 'M.' });
    expect(profile.patient.address).toBe("Kerkweg 3^^'s-Hertogenbosch^^5211 AB");
    const none = readOk(instanceBytes(fixtureStudy('13'), 0));
    expect(none.study.referringPhysician).toBeNull();
    expect(none.patient.address).toBeNull();
  });
});

describe('the GP letter is addressed to the referring physician', () => {
  it('opens with the GP by Dutch convention, the practice address from the configuration and the reference line', async () => {
    const study = await assessed(syntheticStudy('adr-1', { referringPhysician: 'Berg^J.^^van den' }), practice);
    expect(study.classification.releasable).toBe(true);
    const { gp, patient } = await letters(study, practice);
    expect(gp.held).toBe(false);
    expect(gp.text).toContain('J. van den Berg, huisarts Huisartsenpraktijk De Linde Lindelaan 4 1234 CD Voorbeeldstad Datum: 23 november 2026');
    expect(gp.text).toMatch(/Ons kenmerk: DXA\d+ · onderzoek van 1 juni 2026/);
    expect(gp.text).not.toMatch(/Berg\^|Berg, J|van den, huisarts/);
    expect(patient.text).toMatch(/Ons kenmerk: DXA\d+ · onderzoek van 1 juni 2026/);
  });

  it('finds the practice by a code in the name, or by the name as written; without an entry the block holds the name only', async () => {
    const coded = await letters(await assessed(syntheticStudy('adr-2', { referringPhysician: '01234567^Smit^K.' }), practice), practice);
    expect(coded.gp.text).toContain('Gezondheidscentrum Noord Noorderweg 10');
    expect(findReferringPhysician(parsePersonName('VAN DEN BERG^J.')!, practice.referringPhysicians)?.address[0]).toBe('Huisartsenpraktijk De Linde');
    expect(findReferringPhysician(parsePersonName('Berg^J.')!, practice.referringPhysicians)).toBeNull();
    const bare = await letters(await assessed(syntheticStudy('adr-3', { referringPhysician: 'HOEK^B.^^VAN DER' })));
    expect(bare.gp.text).toContain('B. van der Hoek, huisarts Datum:');
  });

  it('without a referring physician the study is held with NO_ADDRESSEE, and its letters have no address block', async () => {
    const study = await assessed(syntheticStudy('adr-4', { referringPhysician: null }));
    expect(study.classification.flags.map((f) => f.code)).toEqual(['NO_ADDRESSEE']);
    expect(study.classification.holdingFlags).toEqual(['NO_ADDRESSEE']);
    expect(study.classification.releasable).toBe(false);
    const { gp } = await letters(study);
    expect(gp.held).toBe(true);
    expect(gp.text).toContain('In het onderzoek stond geen verwijzer');
    expect(gp.text).not.toContain('huisarts Datum');
    expect(gp.text).toMatch(/Uitslag botdichtheidsmeting \(DXA\) Datum: 23 november 2026 Ons kenmerk: DXA\d+/);
  });

  it('is released when the department removes NO_ADDRESSEE from its holding flags', async () => {
    const config: DepartmentConfig = {
      ...DEFAULT_CONFIG,
      clinical: { ...DEFAULT_CLINICAL_SETTINGS, holdingFlags: DEFAULT_CLINICAL_SETTINGS.holdingFlags.filter((code) => code !== 'NO_ADDRESSEE') },
    };
    const study = await assessed(syntheticStudy('adr-5', { referringPhysician: null }), config);
    expect(study.classification.flags.map((f) => f.code)).toContain('NO_ADDRESSEE');
    expect(study.classification.releasable).toBe(true);
    expect((await letters(study, config)).gp.held).toBe(false);
  });

  it('fixture 13 has no referring physician and is held with NO_ADDRESSEE', async () => {
    const { gp } = await lettersOf('13');
    expect(gp.letter.held).toBe(true);
    expect(gp.text).toContain('In het onderzoek stond geen verwijzer');
  });
});

describe('the patient letter is addressed to the patient', () => {
  it('at the address in the export, when it has one', async () => {
    const { patient } = await lettersOf('01');
    expect(patient.text).toContain('Mevrouw M. Jansen Dorpsstraat 12 1234 AB Voorbeeldstad Datum: 23 november 2026 Ons kenmerk: DXA18260314 · onderzoek van 14 maart 2026');
    const written = await letters(await assessed(syntheticStudy('adr-6', { address: 'Lindelaan 8, 2345 CD Voorbeeldstad' })));
    expect(written.patient.text).toContain('Mevrouw A. Test Lindelaan 8 2345 CD Voorbeeldstad Datum:');
  });

  it('without one, no address block', async () => {
    const { patient } = await lettersOf('02');
    expect(patient.text).toContain('Uitslag van uw botdichtheidsmeting Datum: 23 november 2026');
    expect(patient.text).not.toContain('Mevrouw N. de Vries');
  });

  it.each([
    ['Dorpsstraat 12^^Voorbeeldstad^^1234 AB^NL', ['Dorpsstraat 12', '1234 AB  Voorbeeldstad']],
    ['Rue de la Paix 1^^Paris^^75002^France', ['Rue de la Paix 1', '75002  Paris', 'France']],
    ['Lindelaan 8, 2345 CD Voorbeeldstad', ['Lindelaan 8', '2345 CD Voorbeeldstad']],
    ['Kerkweg 3; 5211 AB \'s-Hertogenbosch', ['Kerkweg 3', "5211 AB 's-Hertogenbosch"]],
    ['  ', []],
  ])('address %j as lines', (raw, lines) => {
    expect(addressLines(raw)).toEqual(lines);
  });
});

describe('the configuration of practice addresses', () => {
  it('reads entries by name or code from a department file, and refuses an entry with neither', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../../src/config/load-config.ts');
    const folder = await mkdtemp(join(tmpdir(), 'dexa-adr-'));
    const good = join(folder, 'good.yaml');
    await writeFile(good, 'referringPhysicians:\n  - name: Bakker^P.\n    address: [Praktijk Bakker, Dorpsstraat 1]\n  - code: "01234567"\n    address: [Gezondheidscentrum Noord]\n');
    expect((await loadConfig(good)).config.referringPhysicians).toEqual([
      { name: 'Bakker^P.', code: null, address: ['Praktijk Bakker', 'Dorpsstraat 1'] },
      { name: null, code: '01234567', address: ['Gezondheidscentrum Noord'] },
    ]);
    const bad = join(folder, 'bad.yaml');
    await writeFile(bad, 'referringPhysicians:\n  - address: [Praktijk zonder naam]\n');
    await expect(loadConfig(bad)).rejects.toThrow(/referringPhysicians.*give a name or a code/);
  });
});
