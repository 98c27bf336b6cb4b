import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOverMllp } from '../../src/network/hl7-transport.ts';
import { startMllpListener, type MllpListener } from '../helpers/mllp-listener.ts';
import { fixtureAccession } from '../../src/fixtures/write-ge-sr.ts';
import { parseDutchName } from '../../src/letters/dutch-name.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { escapeHl7, escapeHl7Text, unescapeHl7 } from '../../src/results/hl7-escape.ts';
import { buildOruMessage, messageControlId } from '../../src/results/hl7-oru.ts';
import { AT, assessedFixtureStudy, fixtureInputs, HOSPITAL_CONFIG, resultInputOf } from './result-fixtures.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';

/** LOINC by region and quantity, as the message must carry them (sources: src/results/result-values.ts, LOINC 2.7x, OHDSI Themis). */
const LOINC_TABLE: Record<string, Record<'bmd' | 'tScore' | 'zScore', string>> = {
  'L1-L4': { bmd: '24966-4', tScore: '38267-1', zScore: '85394-5' },
  total_hip: { bmd: '38261-4', tScore: '38264-8', zScore: '80933-5' },
  femoral_neck: { bmd: '24701-5', tScore: '38263-0', zScore: '80934-3' },
  radius_33: { bmd: '24890-6', tScore: '38265-5', zScore: '80932-7' },
};
const QUANTITY_OF_CODE = { bmd: 'bmd', tScore: 'tScore', zScore: 'zScore' } as const;
const UNIT = { bmd: 'g/cm2', tScore: '{T-score}', zScore: '{Z-score}' } as const;

const field = (segment: Hl7Segment, index: number, component = 1, sub?: number) => unescapeHl7(segment.getComponent(index, component, sub));

function parse(text: string) {
  // one segment per line, nothing a value carried may start another
  expect(text).not.toMatch(/\n/);
  const message = Hl7Message.parse(text);
  expect(message.segments.map((s) => s.toString()).join('\r')).toBe(text);
  return message;
}

describe('HL7 v2.5 ORU^R01 of every fixture study, sent over MLLP to a listener and parsed back with @medplum/core', () => {
  let listener: MllpListener;
  beforeAll(async () => {
    listener = await startMllpListener(0);
  });
  afterAll(async () => {
    await listener.stop();
  });

  it.each(FIXTURE_STUDIES.map((fixture) => [fixture.id, fixture] as const))('%s', async (_id, fixture) => {
    const { input } = (await fixtureInputs()).find((entry) => entry.fixture.id === fixture.id)!;
    const study = input.study;
    const built = buildOruMessage(input, { destination: 'hix', at: AT });
    expect(await sendOverMllp({ host: '127.0.0.1', port: listener.port, timeoutSeconds: 10 }, Hl7Message.parse(built))).toBe('AA');
    // what the receiver got, not what was built, is checked field by field
    const received = listener.received.at(-1)!;
    expect(received.text).toBe(built);
    const message = parse(received.text);
    expect(message.segments.map((s) => s.name).slice(0, 5)).toEqual(['MSH', 'PID', 'PV1', 'ORC', 'OBR']);
    expect(message.segments.slice(5).every((s) => s.name === 'OBX')).toBe(true);

    const msh = message.getSegment('MSH')!;
    expect([3, 4, 5, 6].map((i) => field(msh, i))).toEqual(['DEXA', 'RADNUC', 'HIX', 'ZKH']);
    expect(msh.getField(7).toString()).toBe('20261123101530+0000');
    expect(msh.getField(9).toString()).toBe('ORU^R01^ORU_R01');
    expect(field(msh, 10)).toBe(messageControlId(study.study.studyInstanceUid, 1, 'hix'));
    expect(field(msh, 12)).toBe('2.5');
    expect(field(msh, 18)).toBe('UNICODE UTF-8');

    const pid = message.getSegment('PID')!;
    expect(field(pid, 3, 1)).toBe(fixture.patient.id);
    expect(field(pid, 3, 4)).toBe(study.patient.issuer ?? '');
    expect(field(pid, 3, 5)).toBe('PI');
    const [prefix, own] = [field(pid, 5, 1, 1), field(pid, 5, 1, 2)];
    expect(field(pid, 5, 1, 0)).toBe(own);
    expect([prefix, own].filter(Boolean).join(' ')).toBe(fixture.patient.family);
    expect(prefix).toBe(fixture.patient.family.includes(' ') ? fixture.patient.family.slice(0, fixture.patient.family.lastIndexOf(' ')) : '');
    expect(field(pid, 5, 2)).toBe(fixture.patient.given);
    expect(field(pid, 5, 7)).toBe('L');
    expect(field(pid, 7)).toBe(fixture.patient.birthDate.replace(/-/g, ''));
    expect(field(pid, 8)).toBe(fixture.patient.sex === 'female' ? 'F' : 'M');
    expect(message.getSegment('PV1')!.toString()).toBe('PV1|1|O');

    const orc = message.getSegment('ORC')!;
    const obr = message.getSegment('OBR')!;
    expect(field(orc, 3)).toBe(fixtureAccession(fixture));
    expect(field(obr, 3)).toBe(fixtureAccession(fixture));
    expect(field(obr, 4)).toBe('38269-7');
    expect(field(obr, 7)).toBe(fixture.studyDate.replace(/-/g, ''));
    expect(field(obr, 25)).toBe('F');
    const gp = study.study.referringPhysician ? parseDutchName(study.study.referringPhysician) : null;
    expect(field(orc, 12, 2, 2)).toBe(gp?.family ?? '');
    expect(field(obr, 16, 2, 2)).toBe(gp?.family ?? '');
    expect(field(obr, 16, 2, 1)).toBe(gp?.tussenvoegsel ?? '');

    const obx = message.getAllSegments('OBX');
    obx.forEach((segment, index) => {
      // v2.5 defines OBX-1 to OBX-19: nothing beyond
      expect(segment.fields.length).toBeLessThanOrEqual(20);
      expect(field(segment, 1)).toBe(String(index + 1));
      expect(field(segment, 11)).toBe('F');
    });
    const numeric = obx.filter((s) => field(s, 2) === 'NM');
    const path = study.classification.path;
    const expected = study.measurements.flatMap((m) =>
      (['bmd', 'tScore', 'zScore'] as const).filter((q) => m[q] !== null && (q !== 'tScore' || path === 'T')).map((q) => ({ m, q, value: m[q]! })),
    );
    expect(numeric).toHaveLength(expected.length);
    for (const { m, q, value } of expected) {
      const subId = m.side === null ? m.region : `${m.region}-${m.side}`;
      const found = numeric.filter((s) => field(s, 4) === subId && field(s, 3, field(s, 3, 3) === 'LN' ? 4 : 1).startsWith(`${q}-`));
      expect(found, `${subId} ${q}`).toHaveLength(1);
      const segment = found[0]!;
      expect(Number(field(segment, 5))).toBe(value);
      expect(field(segment, 6)).toBe(UNIT[QUANTITY_OF_CODE[q]]);
      expect(field(segment, 6, 3)).toBe('UCUM');
      const loinc = LOINC_TABLE[m.region]?.[q];
      if (loinc) expect([field(segment, 3, 1), field(segment, 3, 3)]).toEqual([loinc, 'LN']);
      else expect(field(segment, 3, 3)).toBe('L');
    }
    // a Z-path study sends no T-score at all
    if (path !== 'T') expect(numeric.some((s) => /T-score/.test(field(s, 6)))).toBe(false);

    const byCode = (code: string) => obx.filter((s) => field(s, 3) === code);
    const category = byCode('category');
    if (study.classification.category === null) expect(category).toHaveLength(0);
    else expect(field(category[0]!, 5)).toBe(study.classification.category);
    const nhg = byCode('nhg');
    if (study.classification.nhgBinary === null) expect(nhg).toHaveLength(0);
    else expect([field(nhg[0]!, 5), field(nhg[0]!, 5, 2)]).toEqual([study.classification.nhgBinary, expect.stringContaining('NHG-Standaard')]);
    const text = byCode('gp-letter');
    expect(field(text[0]!, 2)).toBe('FT');
    expect(field(text[0]!, 5)).toBe(input.gpLetterText);
    for (const kind of ['gp', 'patient'] as const) {
      const [pdf] = byCode(`${kind}-letter-pdf`);
      expect([field(pdf!, 2), field(pdf!, 5, 2), field(pdf!, 5, 3), field(pdf!, 5, 4)]).toEqual(['ED', 'AP', 'PDF', 'Base64']);
      expect(Buffer.from(field(pdf!, 5, 5), 'base64').equals(input.letters[kind]!)).toBe(true);
    }
  }, 60_000);

  it('a resend of the same version to the same destination is the same message; a new version or another destination is not', async () => {
    const { input } = (await fixtureInputs())[0]!;
    const id = (text: string) => Hl7Message.parse(text).getSegment('MSH')!.getComponent(10, 1);
    const first = buildOruMessage(input, { destination: 'hix', at: AT });
    const later = buildOruMessage(input, { destination: 'hix', at: new Date('2026-11-24T08:00:00Z') });
    expect(id(later)).toBe(id(first));
    // only the times differ: when the message was made (MSH-7) and the report's status time (OBR-22)
    const timeless = (text: string) => text.split('\r').filter((segment) => !/^(MSH|OBR)\|/.test(segment));
    expect(timeless(later)).toEqual(timeless(first));
    expect(id(buildOruMessage(input, { destination: 'epic', at: AT }))).not.toBe(id(first));
    expect(id(buildOruMessage({ ...input, version: 2 }, { destination: 'hix', at: AT }))).not.toBe(id(first));
  });

  it('an amended version goes out with result status C, a held one as P', async () => {
    const study = await assessedFixtureStudy(FIXTURE_STUDIES[1]!);
    const amended = Hl7Message.parse(buildOruMessage(await resultInputOf(study, { version: 2 }), { destination: 'hix', at: AT }));
    expect(amended.getSegment('OBR')!.getComponent(25, 1)).toBe('C');
    for (const obx of amended.getAllSegments('OBX')) expect(obx.getComponent(11, 1)).toBe('C');
    const held = Hl7Message.parse(buildOruMessage(await resultInputOf(study, { held: true }), { destination: 'hix', at: AT }));
    expect(held.getSegment('OBR')!.getComponent(25, 1)).toBe('P');
  });

  it('embeds only the configured letters', async () => {
    const { input } = (await fixtureInputs())[0]!;
    const config = { ...HOSPITAL_CONFIG, hospital: { ...HOSPITAL_CONFIG.hospital, embedPdfs: ['gp' as const] } };
    const message = Hl7Message.parse(buildOruMessage({ ...input, config }, { destination: 'hix', at: AT }));
    expect(message.getAllSegments('OBX').filter((s) => s.getComponent(2, 1) === 'ED').map((s) => s.getComponent(3, 1))).toEqual(['gp-letter-pdf']);
  });
});

describe('hostile patient text is escaped and survives the round trip', () => {
  const HOSTILE = 'a|b^c~d\\e&f\ng\rh';

  it('escape and unescape are inverses, and an escaped value holds no delimiter or line break', () => {
    for (const text of [HOSTILE, '\\F\\ literal', '\\.br\\', '\u0007bell', '']) {
      expect(escapeHl7(text)).not.toMatch(/[|^~&\r\n]/);
      expect(unescapeHl7(escapeHl7(text))).toBe(text);
    }
    expect(escapeHl7('|^~\\&')).toBe('\\F\\\\S\\\\R\\\\E\\\\T\\');
    expect(escapeHl7Text('one\ntwo\r\nthree')).toBe('one\\.br\\two\\.br\\three');
    expect(unescapeHl7(escapeHl7Text('one|\ntwo'))).toBe('one|\ntwo');
  });

  it('a name, an ID, an accession and a letter with HL7 delimiters and line breaks come back as they were', async () => {
    const base = await assessedFixtureStudy(FIXTURE_STUDIES[1]!);
    const name = { family: 'van den Berg|^~\\&', given: 'Jan\nPiet&Co', middle: '', prefix: '', suffix: '' };
    const study: AssessedStudy = {
      ...base,
      patient: { ...base.patient, id: 'P|1^2\n3', issuer: 'ISS~&', name },
      study: { ...base.study, accessionNumber: 'ACC^1|2', referringPhysician: { family: 'Vries|x', given: 'H.^J.', middle: '', prefix: 'de', suffix: '' } },
    };
    const input = { ...(await resultInputOf(base)), study, gpLetterText: `Geachte collega,\r\nregel | met ^ ~ \\ &\nslot ${HOSTILE}` };
    const text = buildOruMessage(input, { destination: 'hix', at: AT });
    const message = parse(text);
    expect(text.split('\r')).toHaveLength(message.segments.length);
    const pid = message.getSegment('PID')!;
    expect(pid.fields).toHaveLength(9);
    expect(field(pid, 3, 1)).toBe('P|1^2\n3');
    expect(field(pid, 3, 4)).toBe('ISS~&');
    const dutch = parseDutchName(name);
    expect(dutch.tussenvoegsel).toBe('van den');
    expect([field(pid, 5, 1, 0), field(pid, 5, 1, 1), field(pid, 5, 1, 2)]).toEqual([dutch.family, 'van den', 'Berg|^~\\&']);
    expect(field(pid, 5, 2)).toBe(dutch.given);
    expect(field(pid, 5, 2)).toContain('&Co');
    expect(field(message.getSegment('OBR')!, 3)).toBe('ACC^1|2');
    expect(field(message.getSegment('ORC')!, 3)).toBe('ACC^1|2');
    const gp = parseDutchName(study.study.referringPhysician!);
    expect([field(message.getSegment('OBR')!, 16, 2, 1), field(message.getSegment('OBR')!, 16, 2, 2), field(message.getSegment('OBR')!, 16, 3)]).toEqual(['de', 'Vries|x', gp.given]);
    expect(gp.given).toContain('^');
    const ft = message.getAllSegments('OBX').find((s) => s.getComponent(2, 1) === 'FT')!;
    // in formatted text every line break (CR, LF or both) is a line: \.br\
    expect(field(ft, 5)).toBe(`Geachte collega,\nregel | met ^ ~ \\ &\nslot a|b^c~d\\e&f\ng\nh`);
    for (const obx of message.getAllSegments('OBX')) expect(obx.getComponent(11, 1)).toBe('F');
  });
});
