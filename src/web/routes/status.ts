import type { FastifyInstance } from 'fastify';
import { requireCapability, sendPage, text } from '../guard.ts';
import { health, statusView } from '../status-view.ts';
import type { WebContext } from '../web-context.ts';

/** The status page for every role, and the public health check for the hospital's monitoring. */
export function registerStatus(app: FastifyInstance, ctx: WebContext): void {
  app.get('/status', async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'see')) return reply;
    return sendPage(reply, ctx, request, 'status', 'status', text(ctx, request, 'status.title'), await statusView(ctx, request));
  });

  app.get('/healthz', async (_request, reply) => {
    const answer = await health(ctx);
    return reply.code(answer.code).type('application/json; charset=utf-8').send(answer.body);
  });
}
