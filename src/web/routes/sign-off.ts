import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../web-context.ts';

export function registerSignOff(_app: FastifyInstance, _ctx: WebContext): void {
  // filled in next
}
