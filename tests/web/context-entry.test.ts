import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { startTestWorkstation, USERS, type TestWorkstation, type WebClient } from '../helpers/web.ts';

let station: TestWorkstation | null = null;
afterEach(async () => {
  await station?.close();
  station = null;
});

/** A woman (born 1960) whose menopausal status nobody gave, T −2.7 at the neck: held with MENOPAUSE_UNKNOWN. */
async function heldStudy(s: TestWorkstation, options: { referringPhysician?: string | null; context?: boolean } = {}): Promise<{ id: number; studyUid: string }> {
  const made = syntheticStudy('1', { neck: -2.7, referringPhysician: options.referringPhysician });
  const study = options.context ? made : { ...made, context: undefined };
  await drop(s.service.inbox, 'study-1', studyFiles(study));
  await s.service.service.idle();
  const record = (await s.service.store.studies.held())[0];
  if (!record || record.state !== 'held') throw new Error('the study was not held');
  return { id: record.id, studyUid: record.studyUid };
}

/** The form as a browser sends it: three fracture rows, the first one filled in. */
function form(version: number, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    version: String(version),
    menopausalStatus: 'post',
    fractureSite: ['wrist', '', ''],
    fractureDate: ['2024-03-10', '', ''],
    fractureAge: ['', '', ''],
    fractureEnergy: ['low', '', ''],
    fractureNote: ['', '', ''],
    gpName: '',
    gpPractice: '',
    gpAddress: '',
    gpAgb: '',
    reason: 'telefonisch nagevraagd bij patiënte',
    ...overrides,
  };
}

async function entries(s: TestWorkstation): Promise<number> {
  return s.service.count('SELECT COUNT(*) AS n FROM context_entries');
}

async function openForm(client: WebClient, studyId: number) {
  const page = await client.get(`studies/${studyId}/context`);
  expect(page.statusCode).toBe(200);
  return page.body.replaceAll('&#x2F;', '/'); // Mustache writes every slash as an entity
}

describe('entering clinical context on the workstation', () => {
  it('shows the form with stable names, the version, the CSRF token, at least three fracture rows and where each value comes from', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const laura = await station.client(USERS.laborant);
    const html = await openForm(laura, study.id);
    expect(html).toContain(`action="/studies/${study.id}/context"`);
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(html).toContain('<input type="hidden" name="version" value="1">');
    expect(html).toContain('<select name="menopausalStatus" id="menopausal-status">');
    expect(html).toContain('<option value="unknown" selected>Onbekend</option>');
    expect(html.match(/<select name="fractureSite"/g)).toHaveLength(3);
    expect(html.match(/<input type="date" name="fractureDate"/g)).toHaveLength(3);
    expect(html.match(/<input type="number" name="fractureAge"/g)).toHaveLength(3);
    expect(html.match(/<select name="fractureEnergy"/g)).toHaveLength(3);
    expect(html).toContain('<option value="wrist">pols</option>');
    expect(html).toContain('<option value="low">laagenergetisch</option>');
    expect(html).toContain('name="reason" id="context-reason"');
    expect(html).toContain('id="save-context"');
    expect(html).toContain('niet opgegeven');
    // the GP letter goes to the export's referring physician until someone names another
    expect(html).toContain('uit het onderzoek (verwijzer in de DICOM-export)');
    // the page shows a patient's clinical data: the view is logged (NEN 7513)
    expect(station.service.count("SELECT COUNT(*) AS n FROM view_log WHERE actor = 'laura' AND study_ref = ? AND what LIKE 'clinical context form%'", study.id)).toBe(1);
  });

  it('a laborant enters postmenopausal and a low-energy wrist fracture: one transaction, then version 2 is severe osteoporosis and released', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const laura = await station.client(USERS.laborant);
    await openForm(laura, study.id);
    const response = await laura.post(`studies/${study.id}/context`, form(1));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/studies/${study.id}?notice=contextEntered`);

    const entry = await station.service.store.contextEntries.latest(study);
    expect(entry).toMatchObject({ enteredBy: 'laura', reason: 'telefonisch nagevraagd bij patiënte', context: { menopausalStatus: 'post', fractureHistory: [{ site: 'wrist', date: '2024-03-10', energy: 'low' }] } });
    expect(entry?.context.gp).toBeUndefined();
    const audit = (await station.service.store.audit.of(study.id)).find((e) => e.action === 'context-entered');
    expect(audit?.actor).toBe('laura');
    expect(audit?.detail).toContain('telefonisch nagevraagd bij patiënte');

    await station.service.service.idle();
    const after = await station.service.store.studies.byId(study.id);
    expect(after?.version).toBe(2);
    // §5: T ≤ −2.5 with a qualifying fragility fracture (§6: low energy, at 63, a wrist) is severe
    // osteoporosis; §8: postmenopausal, no review flag left, so the letters are released
    expect(after?.state).toBe('released');
    const result = await station.service.store.studies.storedResult(study, 2);
    expect(result?.classification.category).toBe('severe_osteoporosis');
    expect(result?.classification.path).toBe('T');
    expect(result?.classification.holdingFlags).toEqual([]);
    expect(result?.classification.fragilityFractures).toEqual([{ source: 'history', site: 'wrist', grade: null, date: '2024-03-10' }]);
    expect(result?.context.provenance).toMatchObject({
      entry: { enteredBy: 'laura', reason: 'telefonisch nagevraagd bij patiënte' },
      menopausalStatus: { source: 'entered' },
      fractureHistory: { source: 'entered' },
      gp: { source: 'scanner' },
    });
    const classified = (await station.service.store.audit.of(study.id)).filter((e) => e.action === 'classified').at(-1);
    expect(classified?.detail).toContain('context entered by laura');

    const html = await openForm(laura, study.id);
    expect(html).toContain('<input type="hidden" name="version" value="2">');
    expect(html).toContain('<option value="post" selected>Postmenopauzaal</option>');
    expect(html).toContain('<option value="wrist" selected>pols</option>');
    expect(html).toContain('value="2024-03-10"');
    expect(html).toMatch(/ingevoerd door laura op \d/);
  });

  it('addresses the GP letter to the GP entered on the page, which clears NO_ADDRESSEE', async () => {
    station = await startTestWorkstation();
    // the sidecar says postmenopausal; the export names no referring physician: held with NO_ADDRESSEE only
    const study = await heldStudy(station, { referringPhysician: null, context: true });
    const before = await station.service.store.studies.storedResult(study, 1);
    expect(before?.classification.holdingFlags).toEqual(['NO_ADDRESSEE']);
    const bea = await station.client(USERS.beheerder);
    await openForm(bea, study.id);
    const gp = { gpName: 'B. van der Hoek', gpPractice: 'Huisartsenpraktijk De Linde', gpAddress: 'Lindelaan 4\r\n1234 CD Voorbeeldstad', gpAgb: '01234567' };
    const response = await bea.post(`studies/${study.id}/context`, form(1, { ...gp, fractureSite: ['', '', ''], fractureDate: ['', '', ''], fractureEnergy: ['', '', ''], reason: 'huisarts volgens verwijsbrief' }));
    expect(response.statusCode).toBe(303);
    // only the GP was entered: the menopausal status stays the sidecar's
    expect((await station.service.store.contextEntries.latest(study))?.context).toEqual({ gp: { name: 'B. van der Hoek', practice: 'Huisartsenpraktijk De Linde', address: ['Lindelaan 4', '1234 CD Voorbeeldstad'], agb: '01234567' } });
    await station.service.service.idle();
    const after = await station.service.store.studies.byId(study.id);
    expect(after?.version).toBe(2);
    expect(after?.state).toBe('released');
    const result = await station.service.store.studies.storedResult(study, 2);
    expect(result?.classification.flags.map((f) => f.code)).not.toContain('NO_ADDRESSEE');
    expect(result?.context.provenance?.menopausalStatus).toEqual({ source: 'sidecar', file: 'study-1/context.json' });
    expect(result?.context.provenance?.gp).toEqual({ source: 'entered' });
    const letters = await station.service.store.letters.current(study.id);
    const gpLetter = letters.find((letter) => letter.kind === 'gp');
    const text = (await extractPdfText(await readFile(gpLetter?.path ?? ''))).join('\n');
    expect(text).toContain('B. van der Hoek, huisarts');
    expect(text).toContain('Huisartsenpraktijk De Linde');
    expect(text).toContain('1234 CD Voorbeeldstad');

    const html = await openForm(bea, study.id);
    expect(html).toContain('uit sidecar (study-1/context.json)');
    expect(html).toContain('value="B. van der Hoek"');
  });

  it('shows what an entry overrules, and a sidecar arriving later that disagrees makes a version that says so', async () => {
    station = await startTestWorkstation();
    // the sidecar says postmenopausal: released at version 1
    const made = syntheticStudy('1', { neck: -2.7 });
    await drop(station.service.inbox, 'study-1', studyFiles(made));
    await station.service.service.idle();
    const study = await station.service.store.studies.byId(Number(station.service.row('SELECT id FROM studies')?.['id']));
    if (study === null) throw new Error('the study was not stored');
    expect(study).toMatchObject({ version: 1, state: 'released' });
    const laura = await station.client(USERS.laborant);
    await openForm(laura, study.id);
    const empty = { fractureSite: ['', '', ''], fractureDate: ['', '', ''], fractureEnergy: ['', '', ''] };
    expect((await laura.post(`studies/${study.id}/context`, form(1, { ...empty, menopausalStatus: 'peri', reason: 'volgens de gynaecoloog' }))).statusCode).toBe(303);
    // the fracture history stays the sidecar's: only the status was changed
    expect((await station.service.store.contextEntries.latest(study))?.context).toEqual({ menopausalStatus: 'peri' });
    await station.service.service.idle();
    const html = await openForm(laura, study.id);
    expect(html).toContain('<option value="peri" selected>Perimenopauzaal</option>');
    expect(html).toContain('Vervangt wat de sidecar zegt (study-1/context.json): Postmenopauzaal');
    expect(html).toContain('id="fractures-origin">uit sidecar (study-1/context.json)');

    // a sidecar that says otherwise arrives: the entry still counts, and the new version shows the disagreement
    await drop(station.service.inbox, 'study-1', [{ name: 'context.json', bytes: JSON.stringify({ menopausalStatus: 'pre', fractureHistory: [] }) }]);
    await station.service.service.idle();
    const after = await station.service.store.studies.byId(study.id);
    expect(after?.version).toBe(3);
    const result = await station.service.store.studies.storedResult(study, 3);
    expect(result?.context.menopausalStatus).toBe('peri');
    expect(result?.context.provenance?.menopausalStatus).toEqual({ source: 'entered', overruled: { source: 'sidecar', file: 'study-1/context.json', value: 'pre' } });
    expect(await openForm(laura, study.id)).toContain('Vervangt wat de sidecar zegt (study-1/context.json): Premenopauzaal');
  });

  it('refuses a form made from an older version with 409, storing nothing', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const laura = await station.client(USERS.laborant);
    await openForm(laura, study.id);
    const response = await laura.post(`studies/${study.id}/context`, form(0));
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('versie 1');
    expect(response.body).toContain('Er is niets gewijzigd');
    expect(await entries(station)).toBe(0);
    const after = await station.service.store.studies.byId(study.id);
    expect(after).toMatchObject({ version: 1, state: 'held', dueAt: null });
  });

  it('refuses invalid context with 422 and the problems in words, storing nothing and keeping what was typed', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const laura = await station.client(USERS.laborant);
    await openForm(laura, study.id);
    const response = await laura.post(
      `studies/${study.id}/context`,
      form(1, { fractureDate: ['', '', ''], fractureAge: ['', '2x', ''], fractureSite: ['wrist', 'hip', ''], fractureEnergy: ['low', '', ''], gpName: '', gpAgb: '123', reason: '' }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('geef een reden');
    expect(response.body).toContain('Fractuur 1: geef de datum of de leeftijd bij de fractuur.');
    expect(response.body).toContain('Fractuur 2: de leeftijd is geen heel getal');
    expect(response.body).toContain('Fractuur 2: kies laag- of hoogenergetisch');
    expect(response.body).toContain('geef de naam van de huisarts');
    expect(response.body).toContain('Er is niets opgeslagen.');
    expect(response.body).toContain('<option value="hip" selected>heup</option>');
    expect(await entries(station)).toBe(0);
    expect(await station.service.store.studies.byId(study.id)).toMatchObject({ version: 1, dueAt: null });
    expect((await station.service.store.audit.of(study.id)).some((e) => e.action === 'context-entered')).toBe(false);
  });

  it('refuses a GP name no letter can print, as a sidecar would', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const laura = await station.client(USERS.laborant);
    await openForm(laura, study.id);
    const response = await laura.post(`studies/${study.id}/context`, form(1, { gpName: 'B. van\u202E der Hoek' }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('bevat tekens die geen brief kan afdrukken');
    expect(await entries(station)).toBe(0);
  });

  it('refuses a post without the CSRF token, and a post from no one', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const laura = await station.client(USERS.laborant);
    await openForm(laura, study.id);
    const withoutToken = await laura.post(`studies/${study.id}/context`, form(1), { csrf: null });
    expect(withoutToken.statusCode).toBe(403);
    const anonymous = await station.client(null);
    expect((await anonymous.post(`studies/${study.id}/context`, form(1), { csrf: null })).statusCode).toBe(401);
    expect(await entries(station)).toBe(0);
    expect(await station.service.store.studies.byId(study.id)).toMatchObject({ version: 1, dueAt: null });
  });
});
