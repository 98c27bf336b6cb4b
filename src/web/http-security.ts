import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What a browser may do with the workstation's pages: only its own assets, its own frames (the letters), no scripts from anywhere else. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
].join('; ');

/** Security headers on every answer; patient data is never kept in a browser's or a proxy's cache. */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'SAMEORIGIN');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000');
    return payload;
  });
}

export type FormBody = Record<string, string | string[]>;

/** HTML forms as name → value (a name given more than once → all its values, in order). */
export function parseForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    const form: FormBody = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      const before = form[name];
      form[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    }
    done(null, form);
  });
}

/** One form field as text: absent or given twice is ''. */
export function field(form: unknown, name: string): string {
  const value = (form as FormBody | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** A form field given any number of times. */
export function fields(form: unknown, name: string): string[] {
  const value = (form as FormBody | undefined)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function readCookies(request: FastifyRequest): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // a cookie that is not ours (or damaged) is ignored
    }
  }
  return cookies;
}

/** A cookie only the server reads (HttpOnly), sent only with the workstation's own requests (SameSite=Strict). */
export function setCookie(reply: FastifyReply, request: FastifyRequest, name: string, value: string, options: { path: string; maxAgeSeconds: number | null }): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== null) parts.push(`Max-Age=${Math.round(options.maxAgeSeconds)}`);
  if (request.protocol === 'https') parts.push('Secure');
  const before = reply.getHeader('Set-Cookie');
  const list = before === undefined ? [] : Array.isArray(before) ? before.map(String) : [String(before)];
  reply.header('Set-Cookie', [...list, parts.join('; ')]);
}

/**
 * A form posted from another site is refused: browsers say where a request comes from
 * (Sec-Fetch-Site, Origin); the CSRF token is checked besides.
 */
export function crossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const host = request.host;
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  return false;
}
