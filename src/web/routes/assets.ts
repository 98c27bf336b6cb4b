import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { FONT_FILES } from '../../fonts/fonts.ts';
import type { WebContext } from '../web-context.ts';

const ASSETS = fileURLToPath(new URL('../assets/', import.meta.url));
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

/**
 * The workstation's own style sheet and script, from this folder, and the letters' font faces, so
 * the pictures drawn for the letters (laid out with that font's widths) look the same on the page:
 * nothing from the internet.
 */
export function registerAssets(app: FastifyInstance, ctx: WebContext): void {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of ['workstation.css', 'workstation.js', 'favicon.svg']) {
    const type = TYPES[name.split('.').pop() ?? ''];
    if (type) files.set(name, { type, body: readFileSync(`${ASSETS}${name}`) });
  }
  files.set('source-sans-3-regular.ttf', { type: 'font/ttf', body: readFileSync(FONT_FILES.regular) });
  files.set('source-sans-3-semibold.ttf', { type: 'font/ttf', body: readFileSync(FONT_FILES.semibold) });
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const file = files.get(request.params.name);
    if (!file) return reply.code(404).send();
    return reply.header('Cache-Control', 'public, max-age=3600').type(file.type).send(file.body);
  });
  // browsers ask for it on their own; answering here keeps that request away from the login redirect
  app.get('/favicon.ico', async (_request, reply) => reply.redirect(`${ctx.basePath}assets/favicon.svg`, 301));
}
