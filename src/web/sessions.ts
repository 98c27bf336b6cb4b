import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../store/users.ts';
import { readCookies, setCookie } from './http-security.ts';
import type { Viewer, WebContext } from './web-context.ts';

export const SESSION_COOKIE = 'dexa_session';
/** The language a user chose on the page (Dutch unless they switch). */
export const LANGUAGE_COOKIE = 'dexa_lang';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** Starts a session for `user` (after a password, or on the first request through single sign-on) and sets its cookie. */
export async function startSession(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, user: User, via: Viewer['via']): Promise<Viewer> {
  const token = newToken();
  const csrf = newToken();
  const at = new Date();
  const address = request.ip;
  await ctx.store.sessions.create({ tokenHash: hashToken(token), userRef: user.id, csrfToken: csrf, address, createdAt: at.toISOString(), seenAt: at.toISOString(), expiresAt: expiry(ctx, at) });
  setCookie(reply, request, SESSION_COOKIE, token, { path: ctx.basePath, maxAgeSeconds: null });
  return { user, csrf, address, via };
}

export async function endSession(ctx: WebContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = readCookies(request)[SESSION_COOKIE];
  if (token) await ctx.store.sessions.end(hashToken(token));
  setCookie(reply, request, SESSION_COOKIE, '', { path: ctx.basePath, maxAgeSeconds: 0 });
}

function expiry(ctx: WebContext, at: Date): string {
  return new Date(at.getTime() + ctx.config.web.sessionMinutes * 60_000).toISOString();
}

/**
 * Who asks: through the hospital's single sign-on when the request comes from a trusted proxy
 * address with the user header (a header from anywhere else is ignored), else by the session
 * cookie. A user who is unknown or switched off is nobody.
 */
export async function identify(ctx: WebContext, request: FastifyRequest, reply: FastifyReply): Promise<Viewer | null> {
  const session = await sessionOf(ctx, request);
  const proxied = proxyUser(ctx, request);
  if (proxied !== null) {
    const user = await ctx.store.users.byName(proxied);
    if (user === null || !user.active) return null;
    if (session && session.user.id === user.id) return { ...session, via: 'proxy' };
    return startSession(ctx, request, reply, user, 'proxy');
  }
  return session;
}

async function sessionOf(ctx: WebContext, request: FastifyRequest): Promise<Viewer | null> {
  const token = readCookies(request)[SESSION_COOKIE];
  if (!token) return null;
  const at = new Date();
  const tokenHash = hashToken(token);
  const session = await ctx.store.sessions.live(tokenHash, at.toISOString());
  if (session === null) return null;
  const user = await ctx.store.users.byId(session.userRef);
  if (user === null || !user.active) return null;
  await ctx.store.sessions.touch(tokenHash, at.toISOString(), expiry(ctx, at));
  return { user, csrf: session.csrfToken, address: request.ip, via: 'password' };
}

/** The user named by the single sign-on header, only when the request's own peer is a configured proxy. */
function proxyUser(ctx: WebContext, request: FastifyRequest): string | null {
  const { userHeader, trustedAddresses } = ctx.config.web.proxy;
  if (userHeader === null) return null;
  const value = request.headers[userHeader.toLowerCase()];
  if (typeof value !== 'string' || value.trim() === '') return null;
  const peer = normalAddress(request.socket.remoteAddress ?? '');
  if (!trustedAddresses.map(normalAddress).includes(peer)) {
    request.log.warn({ peer, header: userHeader }, 'a single sign-on header from an address that is not a trusted proxy was ignored');
    return null;
  }
  return value.trim();
}

/** `::ffff:127.0.0.1` is 127.0.0.1. */
function normalAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? (isIP(address) ? address.toLowerCase() : address);
}

/** Whether the form's token is the session's, compared in constant time. */
export function csrfMatches(viewer: Viewer, given: string): boolean {
  const a = Buffer.from(viewer.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export { newToken };
