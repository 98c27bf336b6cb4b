import type { FastifyRequest } from 'fastify';
import type { WebContext } from './web-context.ts';

/**
 * Records that the viewer saw a patient's data (NEN 7513: who, when, from where, which patient,
 * what). Called by every page and download that shows patient data, before it is sent; a page
 * whose view cannot be logged is not shown.
 */
export async function logView(ctx: WebContext, request: FastifyRequest, seen: { patientId: string | null; studyRef: number | null; what: string }): Promise<void> {
  const viewer = request.viewer;
  if (viewer === null) return;
  await ctx.store.viewLog.add({ at: new Date().toISOString(), actor: viewer.user.name, role: viewer.user.role, address: request.ip, patientId: seen.patientId, studyRef: seen.studyRef, what: seen.what });
}

/** Several patients seen at once (a worklist): one entry per patient. */
export async function logViews(ctx: WebContext, request: FastifyRequest, seen: { patientId: string | null; studyRef: number | null }[], what: string): Promise<void> {
  if (seen.length === 0) return;
  await ctx.store.transaction(async (tx) => {
    for (const one of seen) await logView({ ...ctx, store: tx }, request, { ...one, what });
  });
}
