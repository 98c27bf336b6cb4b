import { afterEach, describe, expect, it } from 'vitest';
import { redacted } from '../../src/web/admin-view.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { startTestWorkstation, USERS, type TestWorkstation } from '../helpers/web.ts';

let station: TestWorkstation | null = null;
afterEach(async () => {
  await station?.close();
  station = null;
});

const PAGES = ['admin/users', 'admin/views', 'admin/config'];

describe('the beheerder’s pages', () => {
  it('refuse a laborant and a radioloog, on every page and every form', async () => {
    station = await startTestWorkstation();
    const bea = await station.client(USERS.beheerder);
    for (const path of PAGES) expect((await bea.get(path)).statusCode).toBe(200);
    const laura = await station.client(USERS.laborant);
    const lauraId = (await station.service.store.users.byName(USERS.laborant))?.id ?? 0;
    for (const name of [USERS.laborant, USERS.radioloog]) {
      const client = await station.client(name);
      for (const path of PAGES) {
        const page = await client.get(path);
        expect(page.statusCode).toBe(403);
        expect(page.body).toContain('Alleen een beheerder mag dit.');
      }
      expect((await client.post('admin/users', { name: 'mallory', role: 'beheerder', password: 'a long enough password' })).statusCode).toBe(403);
      expect((await client.post(`admin/users/${lauraId}/role`, { role: 'beheerder' })).statusCode).toBe(403);
      expect((await client.post(`admin/users/${lauraId}/active`, { active: '0' })).statusCode).toBe(403);
    }
    expect(await station.service.store.users.byName('mallory')).toBeNull();
    expect((await station.service.store.users.byName(USERS.laborant))?.role).toBe('laborant');
    expect((await laura.get('')).statusCode).toBe(200);
    // the menu shows the beheerder's links only to a beheerder
    expect((await laura.get('')).body).not.toContain('admin/users');
    expect((await bea.get('')).body).toContain('admin/users"');
  });

  it('adds a user who can then log in, changes their role, disables and enables them, every change in the audit log', async () => {
    station = await startTestWorkstation();
    const bea = await station.client(USERS.beheerder);
    await bea.get('admin/users');
    const short = await bea.post('admin/users', { name: 'jan', fullName: 'J. Jansen', role: 'laborant', password: 'too short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('minstens 12 tekens');
    expect(short.body).toContain('value="J. Jansen"');
    const badName = await bea.post('admin/users', { name: 'jan jansen', role: 'laborant', password: '' });
    expect(badName.statusCode).toBe(400);
    const added = await bea.post('admin/users', { name: 'jan', fullName: 'J. Jansen', role: 'laborant', password: 'a perfectly long password' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/admin/users?done=added&user=jan');
    const list = await bea.get(String(added.headers.location));
    expect(list.body).toContain('Gebruiker toegevoegd: jan');
    expect(list.body).toMatch(/id="user-jan"[\s\S]*J. Jansen[\s\S]*laborant[\s\S]*wachtwoord/);
    expect((await bea.post('admin/users', { name: 'jan', role: 'radioloog', password: '' })).statusCode).toBe(409);
    const sso = await bea.post('admin/users', { name: 'sso.only@hospital', role: 'radioloog', password: '' });
    expect(sso.statusCode).toBe(303);
    expect((await station.service.store.users.byName('sso.only@hospital'))?.passwordHash).toBeNull();

    const jan = await station.client(null);
    expect((await jan.login('jan', 'a perfectly long password')).statusCode).toBe(303);
    expect((await jan.get('')).statusCode).toBe(200);

    const janId = (await station.service.store.users.byName('jan'))?.id ?? 0;
    await bea.get('admin/users');
    expect((await bea.post(`admin/users/${janId}/role`, { role: 'radioloog' })).statusCode).toBe(303);
    expect((await station.service.store.users.byName('jan'))?.role).toBe('radioloog');
    expect((await jan.get('')).statusCode).toBe(303); // the change ended the session
    expect((await bea.post(`admin/users/${janId}/active`, { active: '0' })).statusCode).toBe(303);
    expect((await jan.login('jan', 'a perfectly long password')).statusCode).toBe(401);
    expect((await bea.post(`admin/users/${janId}/active`, { active: '1' })).statusCode).toBe(303);
    expect((await jan.login('jan', 'a perfectly long password')).statusCode).toBe(303);

    const audit = await station.service.store.audit.recent(20);
    expect(audit.filter((entry) => entry.actor === USERS.beheerder).map((entry) => entry.action).reverse()).toEqual(['user added', 'user added', 'user role changed', 'user disabled', 'user enabled']);
    expect(audit.find((entry) => entry.action === 'user role changed')?.detail).toBe('jan: laborant → radioloog');
  });

  it('never lets a beheerder disable or demote themselves', async () => {
    station = await startTestWorkstation();
    const bea = await station.client(USERS.beheerder);
    const self = (await station.service.store.users.byName(USERS.beheerder))?.id ?? 0;
    const page = await bea.get('admin/users');
    expect(page.body).not.toContain(`admin&#x2F;users&#x2F;${self}&#x2F;active`);
    const disable = await bea.post(`admin/users/${self}/active`, { active: '0' });
    expect(disable.statusCode).toBe(409);
    expect(disable.body).toContain('U kunt uzelf niet uitschakelen');
    const demote = await bea.post(`admin/users/${self}/role`, { role: 'laborant' });
    expect(demote.statusCode).toBe(409);
    const user = await station.service.store.users.byName(USERS.beheerder);
    expect(user?.active).toBe(true);
    expect(user?.role).toBe('beheerder');
    expect((await bea.get('admin/users')).statusCode).toBe(200);
    expect((await bea.post('admin/users/999999/active', { active: '0' })).statusCode).toBe(404);
  });

  it('lists the worklist’s views in the view log, filtered by user and patient ID', async () => {
    station = await startTestWorkstation();
    await drop(station.service.inbox, 'a', studyFiles({ ...syntheticStudy('1'), context: undefined }));
    await drop(station.service.inbox, 'b', studyFiles({ ...syntheticStudy('2'), context: undefined }));
    await station.service.service.idle();
    await (await station.client(USERS.laborant)).get('');
    const bea = await station.client(USERS.beheerder);
    const byLaura = await bea.get(`admin/views?user=${USERS.laborant}`);
    expect(byLaura.statusCode).toBe(200);
    const rows = (body: string) => [...body.matchAll(/<tr><td class="when">[^<]*<\/td><td><bdi>([^<]*)<\/bdi><\/td><td>([^<]*)<\/td><td>[^<]*<\/td><td><bdi>([^<]*)<\/bdi><\/td><td>.*?<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`);
    // logging in opens the worklist too: two page views, each patient once per view
    expect(rows(byLaura.body).sort()).toEqual(['laura laborant P-1 worklist', 'laura laborant P-1 worklist', 'laura laborant P-2 worklist', 'laura laborant P-2 worklist']);
    const onePatient = await bea.get(`admin/views?user=${USERS.laborant}&patientId=P-2`);
    expect(rows(onePatient.body)).toEqual(['laura laborant P-2 worklist', 'laura laborant P-2 worklist']);
    // looking at the log is itself a view of the patients it names
    expect((await station.service.store.viewLog.search({ actor: USERS.beheerder, limit: 50 })).filter((entry) => entry.what === 'view log').length).toBeGreaterThan(0);
  });

  it('shows the configuration without the password in the store’s URL', async () => {
    station = await startTestWorkstation();
    station.ctx.config = { ...station.ctx.config, store: { url: 'postgres://dexa:s3cret-Pa55@db.hospital.example:5432/dexa', instance: 'a', localIssuer: '' } };
    const page = await (await station.client(USERS.beheerder)).get('admin/config');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('s3cret-Pa55');
    expect(page.body).toContain('postgres:&#x2F;&#x2F;dexa:***@db.hospital.example:5432&#x2F;dexa');
    expect(page.body).toContain('sessionMinutes');
  });

  it('redacts secrets wherever they are: a URL’s password, and the value of any key that names a secret', () => {
    const config = { store: { url: 'postgresql://dexa:p%40ss:word@db:5432/dexa', instance: 'a' }, mail: { password: 'hunter2hunter2', apiKey: 'k-123', user: 'dexa' }, hooks: ['https://bot:t0ken@example.org/x', 'https://example.org/y'], empty: { secret: '' } };
    expect(redacted(config)).toEqual({
      store: { url: 'postgresql://dexa:***@db:5432/dexa', instance: 'a' },
      mail: { password: '***', apiKey: '***', user: 'dexa' },
      hooks: ['https://bot:***@example.org/x', 'https://example.org/y'],
      empty: { secret: '' },
    });
  });
});
