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

/** A woman whose menopausal status nobody gave: held with MENOPAUSE_UNKNOWN (as in study.test.ts). */
function unknownMenopause(id: string): FixtureStudy {
  return { ...syntheticStudy(id, { neck: -2.7 }), context: undefined };
}

async function held(s: TestWorkstation, study: FixtureStudy): Promise<number[]> {
  await drop(s.service.inbox, `study-${study.id}`, studyFiles(study));
  await s.service.service.idle();
  return (await s.service.store.studies.held()).map((record) => record.id);
}

describe('the study page: the outbox', () => {
  it('shows each delivery of the study: destination, state, tries, when delivered, the last error, and how to retry a failed one', async () => {
    station = await startTestWorkstation();
    const [id] = await held(station, unknownMenopause('deliveries'));
    const store = station.service.store;
    await store.deliveries.enqueue(id!, 1, ['epd-fhir', 'epd-hl7']);
    const [fhir, hl7] = await store.deliveries.ofStudy(id!);
    await store.deliveries.succeeded(fhir!.id, '2026-12-01T10:00:00.000Z');
    await store.deliveries.attemptFailed(hl7!.id, 'HL7 127.0.0.1:2575: message X answered AE (<b>Application</b> Error)', null);
    const html = (await (await station.client(USERS.laborant)).get(`studies/${id}`)).body;
    const table = /<table class="deliveries">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    expect(html).toContain('<h2 id="deliveries-title">Verzonden</h2>');
    expect(table).toMatch(/epd-hl7<\/td><td><span class="badge failed">mislukt<\/span><br><span class="muted">dexa deliveries retry \d+<\/span>/);
    expect(table).toContain(`dexa deliveries retry ${hl7!.id}`);
    expect(table).toContain('message X answered AE (&lt;b&gt;Application&lt;&#x2F;b&gt; Error)');
    expect(table).toMatch(/epd-fhir<\/td><td><span class="badge delivered">afgeleverd<\/span><\/td><td class="num">1<\/td><td class="nowrap">[^<–]+<\/td>/);
  });

});
