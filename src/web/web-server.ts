import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Language } from '../config/config-schema.ts';
import { crossSite, parseForms, readCookies, addSecurityHeaders } from './http-security.ts';
import { csrfValid, sendPage, text } from './guard.ts';
import { identify, LANGUAGE_COOKIE } from './sessions.ts';
import type { WebContext } from './web-context.ts';
import { registerAssets } from './routes/assets.ts';
import { registerLogin } from './routes/login.ts';
import { registerWorklist } from './routes/worklist.ts';
import { registerStudyPage } from './routes/study.ts';
import { registerContextEntry } from './routes/context.ts';
import { registerSignOff } from './routes/sign-off.ts';
import { registerStatus } from './routes/status.ts';
import { registerAdmin } from './routes/admin.ts';

/** Paths anyone may ask for: the login page, the assets, the health check. */
const PUBLIC = [/^\/login$/, /^\/assets\//, /^\/favicon\.ico$/, /^\/healthz$/, /^\/lang\//];

/**
 * The review workstation: server-rendered pages on Fastify, every asset served from here. Every
 * page but the public ones needs a user; every form post needs the session's CSRF token and
 * must come from the workstation's own pages.
 */
export async function buildWebServer(ctx: WebContext): Promise<FastifyInstance> {
  const { proxy } = ctx.config.web;
  const app = Fastify({
    // the service's own pino logger, seen by Fastify as its base logger type
    loggerInstance: ctx.logger.child({ part: 'web' }) as FastifyBaseLogger,
    // one line per request would put patient URLs in the log; the view log records who saw what
    logController: new LogController({ disableRequestLogging: true }),
    // X-Forwarded-For and -Proto are believed only from the configured reverse proxies
    trustProxy: proxy.trustedAddresses.length > 0 ? proxy.trustedAddresses : false,
    bodyLimit: 64 * 1024,
  });
  app.decorateRequest('viewer', null);
  app.decorateRequest('language', 'nl');
  addSecurityHeaders(app);
  parseForms(app);

  await app.register(
    (scoped, _options, done) => {
      scoped.addHook('preHandler', async (request, reply) => {
        const chosen = readCookies(request)[LANGUAGE_COOKIE];
        request.language = chosen === 'nl' || chosen === 'en' ? chosen : ((ctx.config.web.language ?? ctx.config.language) as Language);
        const path = (request.routeOptions.url ?? '').slice(ctx.basePath.length - 1) || '/';
        const open = PUBLIC.some((pattern) => pattern.test(path));
        request.viewer = await identify(ctx, request, reply);
        if (request.method === 'POST' && crossSite(request)) {
          return sendPage(reply, ctx, request, 'refused', '', text(ctx, request, 'common.refusedTitle'), { message: text(ctx, request, 'common.crossSite') }, null, 403);
        }
        if (open) return;
        if (request.viewer === null) {
          if (request.method === 'GET') return reply.redirect(`${ctx.basePath}login?next=${encodeURIComponent(request.url)}`, 303);
          return reply.code(401).type('text/plain; charset=utf-8').send(text(ctx, request, 'common.loginFirst'));
        }
        if (request.method === 'POST' && !csrfValid(request)) {
          return sendPage(reply, ctx, request, 'refused', '', text(ctx, request, 'common.refusedTitle'), { message: text(ctx, request, 'common.csrf') }, null, 403);
        }
      });
      for (const register of [registerAssets, registerLogin, registerWorklist, registerStudyPage, registerContextEntry, registerSignOff, registerStatus, registerAdmin]) register(scoped, ctx);
      scoped.setNotFoundHandler((request, reply) => sendPage(reply, ctx, request, 'refused', '', text(ctx, request, 'common.notFoundTitle'), { message: text(ctx, request, 'common.notFound') }, null, 404));
      done();
    },
    { prefix: ctx.basePath.replace(/\/$/, '') },
  );
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error, url: request.url }, 'a page failed');
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    return reply.code(status).type('text/plain; charset=utf-8').send(status >= 500 ? text(ctx, request, 'common.failed') : (error as Error).message);
  });
  return app;
}

export interface RunningWeb {
  /** where it listens, such as http://127.0.0.1:8484/ */
  url: string;
  close(): Promise<void>;
}

/** Listens on the configured host and port (`port` overrides it; 0: any free port). */
export async function startWebServer(ctx: WebContext, port: number = ctx.config.web.port): Promise<RunningWeb> {
  const app = await buildWebServer(ctx);
  await app.listen({ host: ctx.config.web.host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const host = ctx.config.web.host.includes(':') ? `[${ctx.config.web.host}]` : ctx.config.web.host;
  const url = `http://${host}:${bound}${ctx.basePath}`;
  ctx.logger.info({ url }, 'review workstation listening');
  return { url, close: () => app.close() };
}
