import type { FastifyInstance } from 'fastify';
import { field, readCookies, setCookie } from '../http-security.ts';
import { sendPage, text } from '../guard.ts';
import { lockedUntil, recordFailure, recordSuccess, throttleKeys } from '../login-throttle.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { endSession, LANGUAGE_COOKIE, newToken, startSession } from '../sessions.ts';
import type { WebContext } from '../web-context.ts';

/** Before a session exists the login form is tied to the browser by this cookie (double submit). */
const LOGIN_COOKIE = 'dexa_login';

/** Compared against when the name is unknown, so a wrong name takes as long as a wrong password. */
let decoyHash: Promise<string> | null = null;

export function registerLogin(app: FastifyInstance, ctx: WebContext): void {
  const showLogin = (request: Parameters<typeof sendPage>[2], reply: Parameters<typeof sendPage>[0], next: string, error: string | null, status = 200) => {
    // a form opened in a second tab must not void the first: a live login cookie is kept
    const current = readCookies(request)[LOGIN_COOKIE];
    const token = current !== undefined && /^[\w-]{43}$/.test(current) ? current : newToken();
    setCookie(reply, request, LOGIN_COOKIE, token, { path: ctx.basePath, maxAgeSeconds: 3600 });
    return sendPage(reply, ctx, request, 'login', 'login', text(ctx, request, 'login.title'), { loginToken: token, next, error, sso: ctx.config.web.proxy.userHeader !== null }, null, status);
  };

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    const next = safeNext(ctx, request.query.next);
    if (request.viewer) return reply.redirect(next, 303);
    return showLogin(request, reply, next, null);
  });

  app.post('/login', async (request, reply) => {
    const name = field(request.body, 'name').trim();
    const password = field(request.body, 'password');
    const next = safeNext(ctx, field(request.body, 'next'));
    const expected = readCookies(request)[LOGIN_COOKIE];
    if (!expected || expected !== field(request.body, 'loginToken')) return showLogin(request, reply, next, text(ctx, request, 'login.expired'), 403);
    const keys = throttleKeys(name, request.ip);
    const at = new Date();
    const locked = await lockedUntil(ctx.store, keys, at);
    if (locked) {
      const minutes = Math.max(1, Math.ceil((locked.getTime() - at.getTime()) / 60_000));
      return showLogin(request, reply, next, text(ctx, request, 'login.throttled').replace('{minutes}', String(minutes)), 429);
    }
    const user = name ? await ctx.store.users.byName(name) : null;
    decoyHash ??= hashPassword(newToken());
    const good = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
    if (!user || !user.active || user.passwordHash === null || !good) {
      await recordFailure(ctx.store, keys, at);
      request.log.warn({ user: name, address: request.ip }, 'a login failed');
      return showLogin(request, reply, next, text(ctx, request, 'login.failed'), 401);
    }
    await recordSuccess(ctx.store, keys);
    await startSession(ctx, request, reply, user, 'password');
    setCookie(reply, request, LOGIN_COOKIE, '', { path: ctx.basePath, maxAgeSeconds: 0 });
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (request, reply) => {
    await endSession(ctx, request, reply);
    return reply.redirect(`${ctx.basePath}login`, 303);
  });

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/lang/:lang', async (request, reply) => {
    const lang = request.params.lang === 'en' ? 'en' : 'nl';
    setCookie(reply, request, LANGUAGE_COOKIE, lang, { path: ctx.basePath, maxAgeSeconds: 365 * 86_400 });
    return reply.redirect(safeNext(ctx, request.query.next), 303);
  });
}

/** Only a path of the workstation itself: a login link can never send the user elsewhere. */
function safeNext(ctx: WebContext, next: string | undefined): string {
  if (typeof next === 'string' && next.startsWith(ctx.basePath) && !next.startsWith('//') && !/[\\\s]/.test(next)) return next;
  return ctx.basePath;
}
