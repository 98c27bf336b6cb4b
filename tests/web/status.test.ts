import { afterEach, describe, expect, it } from 'vitest';
import { StudyStore } from '../../src/store/study-store.ts';
import { buildWebServer } from '../../src/web/web-server.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { startTestWorkstation, USERS, type TestWorkstation } from '../helpers/web.ts';

let station: TestWorkstation | null = null;
afterEach(async () => {
  await station?.close();
  station = null;
});

/** A held study and a released one whose delivery failed for good, and a failure to make letters. */
async function troubledStation(): Promise<{ s: TestWorkstation; releasedId: number }> {
  const s = await startTestWorkstation();
  await drop(s.service.inbox, 'held', studyFiles({ ...syntheticStudy('1'), context: undefined }));
  await drop(s.service.inbox, 'released', studyFiles(syntheticStudy('2')));
  await s.service.service.idle();
  const released = (await s.service.store.worklist.recentlyReleased({}, 5)).rows[0];
  if (!released) throw new Error('nothing was released');
  return { s, releasedId: released.id };
}

async function fail(s: TestWorkstation, studyId: number): Promise<void> {
  await s.service.store.deliveries.enqueue(studyId, 1, ['pacs']);
  const [delivery] = await s.service.store.deliveries.ofStudy(studyId);
  await s.service.store.deliveries.attemptFailed(delivery?.id ?? 0, 'the PACS share is full', null);
  await s.service.store.audit.add(studyId, 'error', 'letters could not be made (disk full)');
}

describe('the status page', () => {
  it('shows since when the service runs, the inbox, the studies per state, failed deliveries with their last error and the last errors, to every role', async () => {
    const { s, releasedId } = await troubledStation();
    station = s;
    await fail(s, releasedId);
    for (const name of Object.values(USERS)) {
      const page = await (await s.client(name)).get('status');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('In bedrijf sinds');
      expect(page.body).toContain('wacht op beoordeling');
      expect(page.body).toMatch(/id="inbox-waiting">0</);
      expect(page.body).toMatch(/Mislukte pogingen[\s\S]*pacs[\s\S]*mislukt, wordt niet opnieuw geprobeerd[\s\S]*the PACS share is full/);
      expect(page.body).toMatch(/Laatste fouten[\s\S]*letters could not be made \(disk full\)/);
      expect(page.body).not.toContain('Test, Anna');
    }
    s.ctx.service = null;
    const alone = await (await s.client(USERS.laborant)).get('status');
    expect(alone.body).toContain('draait niet in dit proces');
  });

  it("lists the DICOM receiver's last associations: who called from where, how each ended and what it brought", async () => {
    station = await startTestWorkstation();
    const dicom = station.service.store.dicom;
    await dicom.associationStarted({ id: 'a-1', callingAe: 'LUNAR_IDXA', calledAe: 'DEXA', address: '10.1.2.3', outcome: 'open' }, '2026-12-01T09:00:00.000Z');
    await dicom.associationEnded('a-1', 'released', null, { received: 3, stored: 2, duplicates: 0, refused: 1, refusals: { 'could not be stored: ENOSPC': 1 } }, '2026-12-01T09:00:05.000Z');
    await dicom.associationStarted({ id: 'a-2', callingAe: 'STRANGER', calledAe: 'DEXA', address: '10.9.9.9', outcome: 'rejected', reason: 'calling AE title STRANGER from 10.9.9.9 is not an allowed caller' }, '2026-12-01T10:00:00.000Z');
    const page = await (await station.client(USERS.laborant)).get('status');
    expect(page.body).toMatch(/DICOM-ontvanger: laatste associaties[\s\S]*STRANGER[\s\S]*10\.9\.9\.9[\s\S]*not an allowed caller[\s\S]*LUNAR_IDXA[\s\S]*10\.1\.2\.3[\s\S]*could not be stored: ENOSPC/);
  });

  it('refuses an anonymous visitor', async () => {
    station = await startTestWorkstation();
    const page = await (await station.client(null)).get('status');
    expect(page.statusCode).toBe(303);
  });
});

describe('the health check', () => {
  it('answers anyone with JSON: ok, degraded once something needs a person, never patient data', async () => {
    const { s, releasedId } = await troubledStation();
    station = s;
    const anonymous = await s.client(null);
    const ok = await anonymous.get('/healthz');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('application/json');
    expect(ok.json()).toMatchObject({ status: 'ok', store: 'ok', service: 'running', failedDeliveries: 0, studiesInError: 0 });
    await fail(s, releasedId);
    const degraded = await anonymous.get('/healthz');
    expect(degraded.statusCode).toBe(200);
    expect(degraded.json()).toMatchObject({ status: 'degraded', failedDeliveries: 1, studiesInError: 1 });
    expect(degraded.body).not.toMatch(/P-1|P-2|Anna|Test/);
  });

  it('answers 503 when the store does not answer', async () => {
    station = await startTestWorkstation();
    const store = await StudyStore.open(station.service.database);
    const app = await buildWebServer({ ...station.ctx, store });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      await store.close();
      const down = await app.inject({ method: 'GET', url: '/healthz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ status: 'down', store: 'not answering' });
    } finally {
      await app.close();
    }
  });
});
