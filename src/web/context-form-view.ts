import type { FastifyRequest } from 'fastify';
import type { WebContext } from './web-context.ts';

/** The study a context form is for: the form names the version it was made from. */
export interface ContextFormStudy {
  id: number;
  studyUid: string;
  version: number;
}

/**
 * The view of the context entry form on the study page (rendered by pages/context-form.html inside
 * `{{#contextForm}}…{{/contextForm}}`), or null when this viewer may not enter context.
 */
export async function contextFormView(_ctx: WebContext, _request: FastifyRequest, _study: ContextFormStudy): Promise<Record<string, unknown> | null> {
  return Promise.resolve(null);
}
