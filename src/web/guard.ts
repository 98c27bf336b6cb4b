import type { FastifyReply, FastifyRequest } from 'fastify';
import { field } from './http-security.ts';
import { renderPage, type PageFrame } from './render-page.ts';
import { csrfMatches } from './sessions.ts';
import { may, type Capability, type Viewer, type WebContext } from './web-context.ts';

/** The frame of a page for this request: language, words, user, CSRF token. */
export function frameFor(ctx: WebContext, request: FastifyRequest, current: string, title: string, notice: PageFrame['notice'] = null): PageFrame {
  const viewer = request.viewer;
  return {
    language: request.language,
    texts: ctx.texts[request.language],
    basePath: ctx.basePath,
    user: viewer ? { name: viewer.user.name, fullName: viewer.user.fullName, role: viewer.user.role, isRadioloog: may(viewer.user.role, 'signOff'), isBeheerder: may(viewer.user.role, 'manage') } : null,
    csrf: viewer?.csrf ?? null,
    current,
    title,
    here: request.url,
    notice,
  };
}

/** Sends a page in its frame. */
export function sendPage(reply: FastifyReply, ctx: WebContext, request: FastifyRequest, page: string, current: string, title: string, view: Record<string, unknown>, notice: PageFrame['notice'] = null, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(renderPage(page, frameFor(ctx, request, current, title, notice), view));
}

/** A words lookup: `text(ctx, request, 'worklist.title')`. */
export function text(ctx: WebContext, request: FastifyRequest, key: string): string {
  let node: unknown = ctx.texts[request.language];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : key;
}

/** The viewer, who must be allowed `capability`; otherwise the answer is sent (403) and null returned. */
export function requireCapability(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, capability: Capability): Viewer | null {
  const viewer = request.viewer;
  if (viewer === null) {
    void reply.code(401).send();
    return null;
  }
  if (!may(viewer.user.role, capability)) {
    sendPage(reply, ctx, request, 'refused', '', text(ctx, request, 'common.refusedTitle'), { message: text(ctx, request, `common.refused.${capability}`) }, null, 403);
    return null;
  }
  return viewer;
}

/** A form post must carry its session's CSRF token. */
export function csrfValid(request: FastifyRequest): boolean {
  return request.viewer !== null && csrfMatches(request.viewer, field(request.body, '_csrf'));
}
