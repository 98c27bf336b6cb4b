import type { FastifyInstance } from 'fastify';
import { sendPage, text } from '../guard.ts';
import type { WebContext } from '../web-context.ts';

export function registerWorklist(app: FastifyInstance, ctx: WebContext): void {
  app.get('/', async (request, reply) => sendPage(reply, ctx, request, 'worklist', 'worklist', text(ctx, request, 'worklist.title'), {}));
}
