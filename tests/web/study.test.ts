import { createHash } from 'node:crypto';
import { copyFile, rename, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { startTestWorkstation, USERS, type TestWorkstation } from '../helpers/web.ts';

let station: TestWorkstation | null = null;
afterEach(async () => {
  await station?.close();
  station = null;
});

/** A woman whose menopausal status nobody gave: held with MENOPAUSE_UNKNOWN (as in sign-off.test.ts). */
function unknownMenopause(id: string): FixtureStudy {
  return { ...syntheticStudy(id, { neck: -2.7 }), context: undefined };
}

/** Drops the studies and waits until the service has held each; their numbers in the store. */
async function held(s: TestWorkstation, ...studies: FixtureStudy[]): Promise<number[]> {
  for (const study of studies) await drop(s.service.inbox, `study-${study.id}`, studyFiles(study));
  await s.service.service.idle();
  const records = await s.service.store.studies.held();
  if (records.length !== studies.length) throw new Error(`${records.length} of ${studies.length} studies were held`);
  return records.map((record) => record.id);
}

const studyUidOf = (study: FixtureStudy) => fixtureUids(study).study;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the study page of a held study', () => {
  // read only: these tests share one workstation and its one held study
  let shared: { station: TestWorkstation; id: number } | null = null;
  beforeAll(async () => {
    const started = await startTestWorkstation();
    const [id] = await held(started, unknownMenopause('1'));
    shared = { station: started, id: id! };
  }, 60_000);
  afterAll(async () => {
    await shared?.station.close();
  });

  it('shows a held study whole: patient, scanner, values, flags in words, why it is held, both letters inline, versions and audit; the view is logged', async () => {
    const { station, id } = shared!;
    const laura = await station.client(USERS.laborant);
    const page = await laura.get(`studies/${id}`);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).toContain('<bdi>Test, Anna</bdi>');
    expect(html).toContain('<bdi>P-1</bdi>');
    expect(html).toContain('5 mei 1960');
    expect(html).toMatch(/66 jaar/);
    expect(html).toContain('GE Healthcare');
    expect(html).toContain('Lunar iDXA');
    expect(html).toContain('15.10.046');
    expect(html).toContain('femurhals links');
    expect(html).toContain('LWK L1-L4');
    expect(html).toContain('-2,7');
    expect(html).toContain('Vrouw van wie de menopauzestatus niet bekend is');
    expect(html).toContain('Waarom de brieven zijn aangehouden');
    expect(html).toContain('badge state held');
    const frames = [...html.replaceAll('&#x2F;', '/').matchAll(/<iframe src="\/studies\/(\d+)\/letters\/(\d+)\.pdf#/g)];
    expect(frames).toHaveLength(2);
    const letters = await station.service.store.letters.current(id);
    expect(frames.map((frame) => Number(frame[2])).sort()).toEqual(letters.map((letter) => letter.id).sort());
    expect(html).toContain('Brief aan de huisarts');
    expect(html).toContain('Brief aan de patiënt');
    expect(html).toMatch(/<table class="versions">[\s\S]*<td class="num">1<\/td>[\s\S]*aangehouden/);
    expect(html).toMatch(/<table class="audit">[\s\S]*classified[\s\S]*version 1/);
    expect(html).toContain('niet opgegeven');
    const views = await station.service.store.viewLog.search({ actor: USERS.laborant, limit: 10 });
    expect(views.find((view) => view.what === 'study')).toMatchObject({ patientId: 'P-1', studyRef: id, role: 'laborant' });
  });

  it('shows the approve form to a radioloog only', async () => {
    const { station, id } = shared!;
    const laura = await (await station.client(USERS.laborant)).get(`studies/${id}`);
    expect(laura.body).not.toContain('id="approve"');
    expect(laura.body).toContain('Alleen een radioloog kan deze brieven');
    const rob = await (await station.client(USERS.radioloog)).get(`studies/${id}`);
    expect(rob.body).toContain('id="approve"');
    for (const letter of await station.service.store.letters.current(id)) expect(rob.body).toContain(`value="${letter.id}:${letter.sha256}"`);
  });

  it('speaks English when asked, with the letters’ English words for regions and categories', async () => {
    const { station, id } = shared!;
    const bea = await station.client(USERS.beheerder);
    bea.cookies.set('dexa_lang', 'en');
    const html = (await bea.get(`studies/${id}`)).body;
    expect(html).toContain('Why the letters are held');
    expect(html).toContain('A woman whose menopausal status is unknown');
    expect(html).toContain('femoral neck left');
    expect(html).toContain('osteoporosis');
    expect(html).toContain('-2.7');
  });

  it('shows the letters\' score scale inline, as an image named in the page\'s language', async () => {
    const { station, id } = shared!;
    const laura = await station.client(USERS.laborant);
    const html = (await laura.get(`studies/${id}`)).body;
    const svg = /<figure class="score-scale-figure"><svg ([^>]*)>([\s\S]*?)<\/svg><\/figure>/.exec(html);
    expect(svg).not.toBeNull();
    expect(svg![1]).toContain('role="img"');
    expect(svg![1]).toContain('aria-label="Schaal van de T-score van +2,0 tot -4,0: deze patiënt heeft T-score -2,7 in de femurhals links, osteoporose."');
    expect(svg![2]).toContain('<title>Schaal van de T-score');
    expect(svg![2]).toContain('>osteopenie</text>');
    {
      const bea = await station.client(USERS.beheerder);
      bea.cookies.set('dexa_lang', 'en');
      const english = (await bea.get(`studies/${id}`)).body;
      expect(english).toContain('aria-label="Scale of the T-score from +2.0 to -4.0: this patient has a T-score of -2.7 at the femoral neck left, osteoporosis."');
      expect(english).toContain('>osteopenia</text>');
    }
  });
});

describe('the study page', () => {


  it('shows an approved study as approved: released letters, who approved in the versions and the audit, no sign-off form', async () => {
    station = await startTestWorkstation();
    const [id] = await held(station, unknownMenopause('1'));
    const rob = await station.client(USERS.radioloog);
    const shown = (await station.service.store.letters.current(id ?? 0)).map((letter) => `${letter.id}:${letter.sha256}`);
    expect((await rob.post(`studies/${id}/approve`, { version: '1', shown })).statusCode).toBe(303);
    const html = (await rob.get(`studies/${id}`)).body;
    expect(html).toContain('badge state approved');
    expect(html).not.toContain('id="approve"');
    expect(html).not.toContain('Waarom de brieven zijn aangehouden');
    const released = await station.service.store.letters.current(id ?? 0);
    for (const letter of released) expect(html.replaceAll('&#x2F;', '/')).toContain(`<iframe src="/studies/${id}/letters/${letter.id}.pdf#`);
    expect(html).toMatch(/<table class="versions">[\s\S]*goedgekeurd[\s\S]*approved \(rob\)/);
    expect(html).toMatch(/<table class="audit">[\s\S]*approved[\s\S]*rob/);
  });



  it('shows the GP letter\'s BMD trend inline under the comparison, as an image named by what it shows', async () => {
    station = await startTestWorkstation();
    const current = FIXTURE_STUDIES.find((study) => study.id.startsWith('27-'))!;
    for (const study of [...current.priors!, current]) {
      await drop(station.service.inbox, study.id, studyFiles(study));
      await station.service.service.idle();
    }
    const record = (await station.service.store.studies.byUid(studyUidOf(current)))!;
    const html = (await (await station.client(USERS.laborant)).get(`studies/${record.id}`)).body;
    const figure = /<h3>Verloop van de BMD op hetzelfde type apparaat<\/h3>\s*(?:<!--[^>]*-->\s*)?<figure class="trend-figure"><svg ([^>]*)>([\s\S]*?)<\/svg><\/figure>/.exec(html);
    expect(figure).not.toBeNull();
    expect(figure![1]).toContain('role="img"');
    expect(figure![1]).toContain('aria-label="Verloop van de BMD op hetzelfde type apparaat. LWK L1-L4: ');
    expect(figure![1]).toContain('significante verandering van -0,072 g/cm² sinds september 2024');
    expect([...figure![2]!.matchAll(/class="trend-point"/g)]).toHaveLength(15);
    expect(html.indexOf('trend-figure')).toBeGreaterThan(html.indexOf('id="comparison-title"'));
    // the letters' font, served here, so the picture's texts sit where the letter puts them
    const laura = await station.client(USERS.laborant);
    const css = (await laura.get('assets/workstation.css')).body;
    expect(css).toContain("@font-face { font-family: 'Source Sans 3'; font-weight: 400; src: url('source-sans-3-regular.ttf')");
    for (const face of ['regular', 'semibold']) {
      const font = await laura.get(`assets/source-sans-3-${face}.ttf`);
      expect(font.statusCode).toBe(200);
      expect(font.headers['content-type']).toBe('font/ttf');
    }
  });

  it('shows a released study with the clinical context it used and where that came from', async () => {
    station = await startTestWorkstation();
    await drop(station.service.inbox, 'study-1', studyFiles(syntheticStudy('1')));
    await station.service.service.idle();
    const study = await station.service.store.studies.byId(1);
    expect(study?.state).toBe('released');
    const html = (await (await station.client(USERS.laborant)).get('studies/1')).body;
    expect(html).toContain('badge state released');
    expect(html).not.toContain('Waarom de brieven zijn aangehouden');
    expect(html).toMatch(/<td>Menopauzestatus<\/td><td><bdi>postmenopauzaal<\/bdi><\/td><td class="source"><bdi>contextbestand: context.json<\/bdi>/);
    expect(html).toMatch(/<td>Geslacht<\/td><td><bdi>vrouw<\/bdi><\/td><td class="source"><bdi>scanner \(export\)<\/bdi>/);
    expect(html).toContain('osteopenie');
  });

  it('after context entered on the workstation: says so, shows who entered what and why, and version 1 superseded by version 2', async () => {
    station = await startTestWorkstation();
    const [id] = await held(station, unknownMenopause('1'));
    const laura = await station.client(USERS.laborant);
    await laura.get(`studies/${id}`);
    const form = { version: '1', menopausalStatus: 'post', fractureSite: ['', '', ''], fractureDate: ['', '', ''], fractureAge: ['', '', ''], fractureEnergy: ['', '', ''], fractureNote: ['', '', ''], gpName: '', gpPractice: '', gpAddress: '', gpAgb: '', reason: 'nagevraagd bij <b>patiënte</b>' };
    const entered = await laura.post(`studies/${id}/context`, form);
    expect(entered.statusCode).toBe(303);
    await station.service.service.idle();
    const html = (await laura.get(String(entered.headers.location))).body;
    expect(html).toContain('De klinische gegevens zijn opgeslagen');
    expect(html).toMatch(/<td>Menopauzestatus<\/td><td><bdi>postmenopauzaal<\/bdi><\/td><td class="source"><bdi>ingevoerd: laura, /);
    expect(html).toContain('nagevraagd bij &lt;b&gt;patiënte&lt;&#x2F;b&gt;');
    expect(html).toMatch(/<table class="versions">[\s\S]*<td class="num">2<\/td>[\s\S]*<td class="num">1<\/td>[\s\S]*vervangen/);
    expect((await laura.get(`studies/${id}?notice=<script>`)).body).not.toContain('<script>');
  });

  it('shows a vertebral fracture found on VFA with its Genant grade and shape', async () => {
    station = await startTestWorkstation();
    const wedge = FIXTURE_STUDIES.find((study) => study.id.startsWith('16-vfa-mild-wedge'));
    if (!wedge) throw new Error('no fixture 16');
    const [id] = await held(station, wedge);
    const html = (await (await station.client(USERS.radioloog)).get(`studies/${id}`)).body;
    expect(html).toMatch(/<td>T12<\/td><td>1 \(mild\)<\/td><td>wigvorm<\/td>/);
    expect(html).toContain('Lichte wervelinzakking (graad 1) bij VFA');
  });

  it('says an unknown study is not found', async () => {
    station = await startTestWorkstation();
    const bea = await station.client(USERS.beheerder);
    expect((await bea.get('studies/999')).statusCode).toBe(404);
    expect((await bea.get('studies/abc')).statusCode).toBe(404);
  });

  it('shows a hostile patient name as text, never as markup, a template or a reversed line', async () => {
    station = await startTestWorkstation();
    const base = unknownMenopause('1');
    const hostile: FixtureStudy = { ...base, patient: { ...base.patient, family: '<script>alert(1)</script>', given: '{{x}}\u202Eevil' } };
    const [id] = await held(station, hostile);
    const page = await (await station.client(USERS.radioloog)).get(`studies/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt;');
    expect(page.body).toContain('{{x}}');
    expect(page.body).not.toContain('\u202E');
    expect(page.body).toContain('\\u{202e}evil');
  });
});

describe('a letter as PDF', () => {
  it('serves exactly the stored letter, inline, and logs the view', async () => {
    station = await startTestWorkstation();
    const [id] = await held(station, unknownMenopause('1'));
    const rob = await station.client(USERS.radioloog);
    for (const letter of await station.service.store.letters.current(id ?? 0)) {
      const response = await rob.get(`studies/${id}/letters/${letter.id}.pdf`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toMatch(/^inline; filename="[A-Za-z0-9._-]+\.pdf"$/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(sha256(response.rawPayload)).toBe(letter.sha256);
    }
    // the worklist seen at login is logged too; only the letters are asked about here
    const views = (await station.service.store.viewLog.search({ actor: USERS.radioloog, limit: 10 })).filter((view) => view.what.startsWith('letter'));
    expect(views.map((view) => view.what).sort()).toEqual(['letter gp', 'letter patient']);
    expect(views.every((view) => view.patientId === 'P-1' && view.studyRef === id)).toBe(true);
  });

  it('refuses a letter of another study, an unknown letter, and a letter file replaced by a link', async () => {
    station = await startTestWorkstation();
    const [first, second] = await held(station, unknownMenopause('1'), unknownMenopause('2'));
    const rob = await station.client(USERS.radioloog);
    const [ofSecond] = await station.service.store.letters.current(second ?? 0);
    expect((await rob.get(`studies/${first}/letters/${ofSecond?.id}.pdf`)).statusCode).toBe(404);
    expect((await rob.get(`studies/${first}/letters/99999.pdf`)).statusCode).toBe(404);
    expect((await rob.get(`studies/${first}/letters/x.pdf`)).statusCode).toBe(404);
    const [ofFirst] = await station.service.store.letters.current(first ?? 0);
    if (!ofFirst) throw new Error('no letter');
    // the file swapped for a link to a copy outside out/, then for a link inside it
    const outside = join(station.service.root, 'outside.pdf');
    await copyFile(ofFirst.path, outside);
    await rename(ofFirst.path, `${ofFirst.path}.moved`);
    await symlink(outside, ofFirst.path);
    expect((await rob.get(`studies/${first}/letters/${ofFirst.id}.pdf`)).statusCode).toBe(404);
    const views = await station.service.store.viewLog.search({ actor: USERS.radioloog, limit: 10 });
    expect(views.filter((view) => view.what.startsWith('letter'))).toHaveLength(0);
  });
});
