import type { Bundle, DiagnosticReport, Observation, Patient } from '@medplum/fhirtypes';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTransaction } from '../../src/network/fhir-transport.ts';
import { LOINC_BY_SITE } from '../../src/dicom/coding.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { fixtureAccession } from '../../src/fixtures/write-ge-sr.ts';
import { buildResultBundle, LATERALITY_EXTENSION } from '../../src/results/fhir-bundle.ts';
import { InvalidBundleError, loincCheckDigitValid, validateResultBundle } from '../../src/results/fhir-validate.ts';
import { RESULT_LOINC } from '../../src/results/result-values.ts';
import { AT, assessedFixtureStudy, fixtureInputs, resultInputOf } from './result-fixtures.ts';

/**
 * The LOINC codes each Observation must carry, by region and quantity. Sources: LOINC 2.7x
 * (loinc.org, each code looked up with its check digit), the DXA codes OHDSI Themis lists, the US
 * Core examples; the same table src/dicom/coding.ts LOINC_BY_SITE holds for the profile writer.
 * LOINC has no laterality in these codes: the side is in bodySite. Regions LOINC has no code for
 * (single vertebrae, partial spine ranges, the other hip and forearm sub-regions) carry none.
 */
const LOINC_TABLE: Record<string, Record<'bmd' | 'tScore' | 'zScore', string>> = {
  'L1-L4': { bmd: '24966-4', tScore: '38267-1', zScore: '85394-5' },
  total_hip: { bmd: '38261-4', tScore: '38264-8', zScore: '80933-5' },
  femoral_neck: { bmd: '24701-5', tScore: '38263-0', zScore: '80934-3' },
  radius_33: { bmd: '24890-6', tScore: '38265-5', zScore: '80932-7' },
};
const UNIT = { bmd: 'g/cm2', tScore: '{T-score}', zScore: '{Z-score}' } as const;
const SIDES = { left: '7771000', right: '24028007', mean: '51440002' } as const;

const resources = <T>(bundle: Bundle, type: string) => (bundle.entry ?? []).filter((e) => e.resource?.resourceType === type).map((e) => e.resource as T);
const quantityOf = (o: Observation) => (Object.entries(UNIT).find(([, unit]) => unit === o.valueQuantity?.code)?.[0] ?? '') as keyof typeof UNIT;
const localCode = (o: Observation) => o.code.coding!.find((c) => c.system !== 'http://loinc.org')!.code!;

describe('the LOINC table', () => {
  it('is the one the DICOM profile writer uses, and every code has its check digit right', () => {
    for (const [site, codes] of Object.entries(RESULT_LOINC)) {
      const checked = LOINC_BY_SITE[site as keyof typeof LOINC_BY_SITE];
      expect({ bmd: codes.bmd.code, tScore: codes.tScore.code, zScore: codes.zScore.code }, site).toEqual({ bmd: checked.bmd.value, tScore: checked.tScore.value, zScore: checked.zScore.value });
    }
    for (const code of [...Object.values(LOINC_TABLE).flatMap((codes) => Object.values(codes)), '38269-7']) expect(loincCheckDigitValid(code), code).toBe(true);
    expect(loincCheckDigitValid('24966-5')).toBe(false);
    expect(loincCheckDigitValid('38269-1')).toBe(false);
  });
});

/** A FHIR server on loopback that keeps each transaction it is sent, as received, and answers a transaction-response. */
async function startFhirReceiver(): Promise<{ url: string; received: string[]; stop: () => Promise<void> }> {
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      response.end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201 Created' } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fhir`, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('FHIR R4 transaction bundle of every fixture study, POSTed to a local FHIR server and checked as received', () => {
  let fhir: Awaited<ReturnType<typeof startFhirReceiver>>;
  beforeAll(async () => {
    fhir = await startFhirReceiver();
  });
  afterAll(async () => {
    await fhir.stop();
  });

  it.each(FIXTURE_STUDIES.map((fixture) => [fixture.id, fixture] as const))('%s', async (_id, fixture) => {
    const { input } = (await fixtureInputs()).find((entry) => entry.fixture.id === fixture.id)!;
    const study = input.study;
    await postTransaction({ name: 'ehr', baseUrl: fhir.url, timeoutSeconds: 10 }, buildResultBundle(input, { at: AT }));
    // what the server got, not what was built, is checked
    const bundle = JSON.parse(fhir.received.at(-1)!) as Bundle;
    expect(validateResultBundle(structuredClone(bundle))).toEqual(bundle);
    expect(bundle.type).toBe('transaction');
    for (const entry of bundle.entry!) {
      expect(entry.request!.method).toBe('POST');
      const identifier = (entry.resource as Patient).identifier![0]!;
      expect(entry.request!.ifNoneExist).toBe(`identifier=${encodeURIComponent(identifier.system!)}|${encodeURIComponent(identifier.value!)}`);
    }

    const [patient] = resources<Patient>(bundle, 'Patient');
    expect(patient!.identifier![0]!.value).toBe(fixture.patient.id);
    expect(patient!.name![0]!.family).toBe(fixture.patient.family);
    expect(patient!.name![0]!.given).toEqual(fixture.patient.given.split(' '));
    const ownName = (patient!.name![0] as { _family?: { extension: { url: string; valueString: string }[] } })._family!.extension;
    const prefix = ownName.find((e) => e.url.endsWith('humanname-own-prefix'))?.valueString;
    expect([prefix, ownName.find((e) => e.url.endsWith('humanname-own-name'))!.valueString].filter(Boolean).join(' ')).toBe(fixture.patient.family);
    expect(patient!.birthDate).toBe(fixture.patient.birthDate);
    expect(patient!.gender).toBe(fixture.patient.sex);
    const patientUrl = bundle.entry!.find((e) => e.resource === patient)!.fullUrl;

    const observations = resources<Observation>(bundle, 'Observation');
    const path = study.classification.path;
    const expected = study.measurements.flatMap((m) =>
      (['bmd', 'tScore', 'zScore'] as const).filter((q) => m[q] !== null && (q !== 'tScore' || path === 'T')).map((q) => ({ m, q, value: m[q]! })),
    );
    expect(observations).toHaveLength(expected.length);
    for (const { m, q, value } of expected) {
      const key = `${q}-${m.region}${m.side === null ? '' : `-${m.side}`}`;
      const found = observations.filter((o) => localCode(o) === key);
      expect(found, key).toHaveLength(1);
      const o = found[0]!;
      expect(o.status).toBe('final');
      expect(o.subject!.reference).toBe(patientUrl);
      expect(o.effectiveDateTime).toBe(fixture.studyDate);
      expect(o.valueQuantity).toEqual({ value, unit: UNIT[q], system: 'http://unitsofmeasure.org', code: UNIT[q] });
      const loinc = o.code.coding!.filter((c) => c.system === 'http://loinc.org').map((c) => c.code);
      expect(loinc, key).toEqual(LOINC_TABLE[m.region] ? [LOINC_TABLE[m.region]![q]] : []);
      expect(o.bodySite!.coding![0]!.system).toBe('http://snomed.info/sct');
      const laterality = o.bodySite!.extension?.find((e) => e.url === LATERALITY_EXTENSION)?.valueCodeableConcept?.coding?.[0]?.code;
      expect(laterality).toBe(m.side === null ? undefined : SIDES[m.side]);
      expect(o.identifier![0]!.value).toBe(`${study.study.studyInstanceUid}-v1-${m.region}-${m.side ?? 'none'}-${q}`);
    }
    // the scores the diagnosis used carry its reading; on a Z path no T-score is there to read
    const interpreted = observations.filter((o) => o.interpretation);
    expect(interpreted.every((o) => quantityOf(o) === (path === 'T' ? 'tScore' : 'zScore'))).toBe(true);
    expect(interpreted.length).toBe(study.classification.diagnosticValues.length);
    if (path !== 'T') {
      expect(observations.some((o) => quantityOf(o) === 'tScore')).toBe(false);
      expect(interpreted.flatMap((o) => o.interpretation!.flatMap((c) => c.coding!.map((coding) => coding.code)))).not.toContainEqual(expect.stringMatching(/normal$|osteop/));
    }

    const [report] = resources<DiagnosticReport>(bundle, 'DiagnosticReport');
    expect(report!.status).toBe('final');
    expect(report!.code.coding).toContainEqual(expect.objectContaining({ system: 'http://loinc.org', code: '38269-7' }));
    expect(report!.subject!.reference).toBe(patientUrl);
    expect(report!.effectiveDateTime).toBe(fixture.studyDate);
    expect(report!.issued).toBe(AT.toISOString());
    expect(report!.performer![0]!.display).toContain('Voorbeeldziekenhuis');
    expect(report!.identifier).toContainEqual(expect.objectContaining({ value: fixtureAccession(fixture) }));
    expect(report!.result!.map((r) => r.reference)).toEqual(bundle.entry!.filter((e) => e.resource?.resourceType === 'Observation').map((e) => e.fullUrl));
    if (study.classification.category === null) expect(report!.conclusionCode).toBeUndefined();
    else expect(report!.conclusionCode![0]!.coding![0]!.code).toBe(study.classification.category);
    expect(input.gpLetterText!.replace(/\s+/g, ' ')).toContain(report!.conclusion!.split('.')[0]!.replace(/\s+/g, ' '));
    expect(Buffer.from(report!.presentedForm![0]!.data!, 'base64').equals(input.letters.gp!)).toBe(true);
  }, 60_000);

  it('has Z-path studies among the fixtures', () => {
    expect(FIXTURE_STUDIES.filter((f) => f.expected.path !== 'T').length).toBeGreaterThanOrEqual(2);
  });

  it('is the same bundle when built again: a retry never makes a second resource', async () => {
    const { input } = (await fixtureInputs())[0]!;
    const first = buildResultBundle(input, { at: AT });
    const again = buildResultBundle(input, { at: new Date('2026-11-30T12:00:00Z') });
    const conditions = (bundle: Bundle) => bundle.entry!.map((e) => [e.fullUrl, e.request!.ifNoneExist]);
    expect(conditions(again)).toEqual(conditions(first));
    const amended = buildResultBundle({ ...(await resultInputOf(input.study, { version: 2 })) }, { at: AT });
    expect(resources<DiagnosticReport>(amended, 'DiagnosticReport')[0]!.status).toBe('amended');
    expect(resources<Observation>(amended, 'Observation').every((o) => o.status === 'amended')).toBe(true);
    // the patient is the same one; the version's report and observations are new ones
    expect(amended.entry![0]!.request!.ifNoneExist).toBe(first.entry![0]!.request!.ifNoneExist);
    expect(amended.entry!.slice(1).some((e) => conditions(first).some(([, condition]) => condition === e.request!.ifNoneExist))).toBe(false);
  });

  it('carries hostile patient text as it is: JSON needs no escaping of its own, and the bundle still validates', async () => {
    const base = await assessedFixtureStudy(FIXTURE_STUDIES[1]!);
    const study = { ...base, patient: { ...base.patient, id: 'P|1^2&3', issuer: 'ISS/€', name: { family: 'van den Berg|^~\\&', given: 'Jan\nPiet', middle: '', prefix: '', suffix: '' } } };
    const bundle = buildResultBundle({ ...(await resultInputOf(base)), study }, { at: AT });
    const copy = JSON.parse(JSON.stringify(bundle)) as Bundle;
    validateResultBundle(copy);
    const patient = copy.entry![0]!.resource as Patient;
    expect(patient.identifier![0]!.value).toBe('P|1^2&3');
    expect(patient.name![0]!.family).toBe('van den Berg|^~\\&');
    // the condition's value is URL-encoded: a | or & in an ID cannot split it
    expect(copy.entry![0]!.request!.ifNoneExist).toMatch(/\|P%7C1%5E2%263$/);
  });

  it('refuses a bundle with a wrong LOINC code, a missing condition or a reference outside it', async () => {
    const study = await assessedFixtureStudy(FIXTURE_STUDIES[1]!);
    const bundle = buildResultBundle(await resultInputOf(study), { at: AT });
    const broken = (change: (copy: Bundle) => void) => {
      const copy = structuredClone(bundle);
      change(copy);
      return () => validateResultBundle(copy);
    };
    expect(broken((b) => ((b.entry![1]!.resource as Observation).code.coding![0]!.code = '24966-5'))).toThrow(InvalidBundleError);
    expect(broken((b) => delete b.entry![1]!.request!.ifNoneExist)).toThrow(/ifNoneExist/);
    expect(broken((b) => ((b.entry![1]!.resource as Observation).subject = { reference: 'urn:uuid:00000000-0000-5000-8000-000000000000' }))).toThrow(/not an entry of the bundle/);
    expect(broken((b) => ((b.entry![1]!.resource as Observation).valueQuantity!.code = 'mg'))).toThrow(InvalidBundleError);
  });
});
