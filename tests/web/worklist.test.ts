import { afterEach, describe, expect, it } from 'vitest';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { startTestWorkstation, USERS, type TestWorkstation } from '../helpers/web.ts';

let station: TestWorkstation | null = null;
afterEach(async () => {
  await station?.close();
  station = null;
});

/** A woman whose menopausal status nobody gave: held with MENOPAUSE_UNKNOWN. */
function heldStudy(id: string, options: Parameters<typeof syntheticStudy>[1] = {}): FixtureStudy {
  return { ...syntheticStudy(id, options), context: undefined };
}

// DICM → DXCM: unreadable at once, so quarantined with its reason
const notDicom = (bytes: Uint8Array) => Uint8Array.from(bytes, (byte, i) => (i === 129 ? 0x58 : byte));

async function dropStudies(s: TestWorkstation, studies: FixtureStudy[], extra: { name: string; bytes: Uint8Array }[] = []): Promise<void> {
  for (const study of studies) await drop(s.service.inbox, `study-${study.id}`, studyFiles(study));
  if (extra.length > 0) await drop(s.service.inbox, 'bad', extra);
  await s.service.service.idle();
}

/** The number in a count box at the top of the worklist. */
function count(body: string, kind: string): number {
  const match = new RegExp(`id="count-${kind}"><strong>(\\d+)</strong>`).exec(body);
  if (!match) throw new Error(`no count ${kind} on the page`);
  return Number(match[1]);
}

/** The held section's rows: the patient IDs shown there. */
function heldPatients(body: string): string[] {
  const section = /<section class="card" id="held"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';
  return [...section.matchAll(/Patiënt-ID<\/span> <bdi>([^<]*)<\/bdi>/g)].map((m) => m[1] ?? '');
}

describe('the worklist', () => {
  it('shows a held study with its flags in words and why it is held, a released one, a quarantined file with its reason, and counts per section; each patient is logged once per view', async () => {
    station = await startTestWorkstation();
    const broken = notDicom(studyFiles(syntheticStudy('x'))[0]?.bytes ?? new Uint8Array());
    await dropStudies(station, [heldStudy('1'), syntheticStudy('2')], [{ name: 'broken.dcm', bytes: broken }]);
    const held = (await station.service.store.studies.held())[0];
    expect(held).toBeDefined();
    const laura = await station.client(USERS.laborant);
    const before = await station.service.store.viewLog.search({ actor: USERS.laborant, limit: 100 });
    const page = await laura.get('');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('Wachten op beoordeling');
    expect(body).toContain('Vrouw van wie de menopauzestatus niet bekend is');
    expect(body).toContain('MENOPAUSE_UNKNOWN');
    expect(body).toContain(`href="&#x2F;studies&#x2F;${held?.id}"`); // Mustache escapes the slashes too
    expect(body).toContain('<bdi>Test, Anna</bdi>');
    expect(heldPatients(body)).toEqual(['P-1']);
    expect(count(body, 'held')).toBe(1);
    expect(count(body, 'recent')).toBe(1);
    expect(count(body, 'quarantined')).toBe(1);
    expect(count(body, 'problems')).toBe(0);
    expect(body).toContain('broken.dcm');
    expect(body).toMatch(/id="recent"[\s\S]*P-2[\s\S]*id="quarantined"/);

    const after = await station.service.store.viewLog.search({ actor: USERS.laborant, limit: 100 });
    const added = after.slice(0, after.length - before.length);
    expect(added.map((entry) => entry.what)).toEqual(['worklist', 'worklist']);
    expect(added.map((entry) => entry.patientId).sort()).toEqual(['P-1', 'P-2']);

    const released = (await station.service.store.worklist.recentlyReleased({}, 5)).rows[0];
    if (!released || !held) throw new Error('no released study');
    await station.service.store.deliveries.enqueue(released.id, released.version, ['pacs']);
    const [delivery] = await station.service.store.deliveries.ofStudy(released.id);
    await station.service.store.deliveries.attemptFailed(delivery?.id ?? 0, 'the PACS share is full', null);
    await station.service.store.audit.add(held.id, 'error', 'letters could not be made (disk full); next try at …');
    const troubled = (await laura.get('')).body;
    expect(count(troubled, 'problems')).toBe(2);
    expect(troubled).toMatch(/id="problems"[\s\S]*Brieven konden niet gemaakt worden[\s\S]*disk full[\s\S]*Verzending mislukt, wordt niet opnieuw geprobeerd[\s\S]*the PACS share is full[\s\S]*id="recent"/);

    await laura.get('lang/en?next=/');
    const english = await laura.get('');
    expect(english.body).toContain('A woman whose menopausal status is unknown');
    expect(english.body).toContain('Waiting for review');
  });

  it('narrows every section by study date and by text in the name, patient ID or accession number', async () => {
    station = await startTestWorkstation();
    await dropStudies(station, [heldStudy('1'), heldStudy('2', { patientId: 'X-77', studyDate: '2026-07-15' })]);
    const rob = await station.client(USERS.radioloog);
    const all = await rob.get('');
    expect(heldPatients(all.body)).toEqual(['P-1', 'X-77']);
    expect(heldPatients((await rob.get('?from=2026-07-01')).body)).toEqual(['X-77']);
    expect(heldPatients((await rob.get('?to=2026-06-30')).body)).toEqual(['P-1']);
    expect(heldPatients((await rob.get('?from=2026-06-01&to=2026-06-01')).body)).toEqual(['P-1']);
    const byId = await rob.get('?q=x-7');
    expect(heldPatients(byId.body)).toEqual(['X-77']);
    expect(count(byId.body, 'held')).toBe(1);
    expect(byId.body).toContain('value="x-7"');
    expect(heldPatients((await rob.get('?q=anna')).body)).toEqual(['P-1', 'X-77']);
    expect(heldPatients((await rob.get('?q=test%2C')).body)).toEqual([]);
    expect(heldPatients((await rob.get('?q=%25')).body)).toEqual([]);
    const accession = (await station.service.store.studies.held())[1]?.accession;
    if (accession) expect(heldPatients((await rob.get(`?q=${encodeURIComponent(accession)}`)).body)).toEqual(['X-77']);
    const bad = await rob.get('?from=yesterday');
    expect(bad.body).toContain('niet als JJJJ-MM-DD te lezen');
    expect(heldPatients(bad.body)).toEqual(['P-1', 'X-77']);
  });

  it('shows a hostile patient name as text: markup, template braces and a right-to-left override stay inert', async () => {
    station = await startTestWorkstation();
    const hostile = heldStudy('9');
    const study = { ...hostile, patient: { ...hostile.patient, family: '<script>alert(1)</script>', given: '{{x}}\u202Eabc' } };
    await dropStudies(station, [study]);
    const laura = await station.client(USERS.laborant);
    const page = await laura.get('?q=script');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt;');
    expect(page.body).toContain('{{x}}');
    expect(page.body).toMatch(/<bdi>&lt;script&gt;[^<]*\u202Eabc<\/bdi>/);
    expect(heldPatients(page.body)).toEqual(['P-9']);
  });
});
