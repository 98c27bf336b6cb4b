import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, startTestWorkstation, USERS, type TestWorkstation } from '../helpers/web.ts';

let station: TestWorkstation | null = null;
afterEach(async () => {
  await station?.close();
  station = null;
});

describe('logging in to the workstation', () => {
  it('sends an anonymous visitor to the login page, and a right password to the worklist with an HttpOnly SameSite session cookie', async () => {
    station = await startTestWorkstation();
    const anonymous = await station.client(null);
    const first = await anonymous.get('');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/login?next=%2F');
    const response = await anonymous.login(USERS.laborant, PASSWORD);
    expect(response.statusCode).toBe(303);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/dexa_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
    const worklist = await anonymous.get('');
    expect(worklist.statusCode).toBe(200);
    expect(worklist.body).toContain(USERS.laborant);
  });

  it('keeps the login form valid when the browser asks for its icon, or opens the form twice, before posting it', async () => {
    station = await startTestWorkstation();
    const anonymous = await station.client(null);
    const form = await anonymous.get('login');
    const token = /name="loginToken" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const icon = await anonymous.get('/favicon.ico');
    expect(icon.statusCode).toBe(301);
    expect(icon.headers['set-cookie']).toBeUndefined();
    await anonymous.get('login'); // a second tab
    const response = await anonymous.post('login', { name: USERS.radioloog, password: PASSWORD, loginToken: token, next: '/' }, { csrf: null });
    expect(response.statusCode).toBe(303);
  });

  it('refuses a wrong password, and after five failures refuses even the right one for a while', async () => {
    station = await startTestWorkstation();
    const client = await station.client(null);
    for (let i = 0; i < 5; i++) expect((await client.login(USERS.radioloog, 'wrong password!')).statusCode).toBe(401);
    const locked = await client.login(USERS.radioloog, PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Te veel mislukte pogingen');
  });

  it('refuses a form without the session token (CSRF), and one posted from another site', async () => {
    station = await startTestWorkstation();
    const client = await station.client(USERS.laborant);
    const without = await client.post('logout', {}, { csrf: null });
    expect(without.statusCode).toBe(403);
    expect(without.body).toContain('verlopen of niet van deze sessie');
    const foreign = await client.post('logout', {}, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(foreign.statusCode).toBe(403);
    expect((await client.get('')).statusCode).toBe(200); // still logged in
    expect((await client.post('logout', {})).statusCode).toBe(303);
    expect((await client.get('')).statusCode).toBe(303);
  });

  it('sends security headers and never lets a page be cached', async () => {
    station = await startTestWorkstation();
    const page = await (await station.client(null)).get('login');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('believes the single sign-on header only from a trusted proxy address', async () => {
    station = await startTestWorkstation({ proxy: { userHeader: 'X-Forwarded-User', trustedAddresses: ['10.9.9.9'] } });
    const client = await station.client(null);
    // inject's peer is 127.0.0.1: not the proxy, so the header is ignored
    const ignored = await client.get('', { 'x-forwarded-user': USERS.radioloog });
    expect(ignored.statusCode).toBe(303);
    expect(ignored.headers.location).toContain('/login');
  });

  it('lets a user in through the single sign-on header from the trusted proxy', async () => {
    station = await startTestWorkstation({ proxy: { userHeader: 'X-Forwarded-User', trustedAddresses: ['127.0.0.1'] } });
    const client = await station.client(null);
    const page = await client.get('', { 'x-forwarded-user': USERS.radioloog });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(USERS.radioloog);
    const unknown = await (await station.client(null)).get('', { 'x-forwarded-user': 'nobody' });
    expect(unknown.statusCode).toBe(303);
  });
});
