import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { destinationNames } from '../../config/destinations.ts';
import { approveStudy, rejectStudy, ReviewError } from '../../review/review-actions.ts';
import { field, fields } from '../http-security.ts';
import { requireCapability, sendPage, text } from '../guard.ts';
import type { WebContext } from '../web-context.ts';

type StudyRequest = FastifyRequest<{ Params: { id: string } }>;

/**
 * Approve and reject, for a radioloog. Both name the version the reviewer looked at; approve also
 * names the drafts shown (id and SHA-256), so exactly those are released, or nothing.
 */
export function registerSignOff(app: FastifyInstance, ctx: WebContext): void {
  app.post<{ Params: { id: string } }>('/studies/:id/approve', async (request, reply) => {
    const viewer = requireCapability(ctx, request, reply, 'signOff');
    if (!viewer) return reply;
    const target = await targetStudy(ctx, request, reply);
    if (!target) return reply;
    const shown = fields(request.body, 'shown').map(parseShown);
    if (shown.length === 0 || shown.some((letter) => letter === null)) return refuse(ctx, request, reply, target.id, text(ctx, request, 'signOff.noLettersShown'));
    try {
      await approveStudy(ctx.store, ctx.layout, ctx.config, ctx.templates, target.studyUid, viewer.user.name, {
        version: target.version,
        shown: shown.filter((letter) => letter !== null),
        signedAs: viewer.user.fullName,
        destinations: destinationNames(ctx.config),
      });
    } catch (error) {
      if (error instanceof ReviewError) return refuse(ctx, request, reply, target.id, error.message);
      throw error;
    }
    return reply.redirect(`${ctx.basePath}studies/${target.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/studies/:id/reject', async (request, reply) => {
    const viewer = requireCapability(ctx, request, reply, 'signOff');
    if (!viewer) return reply;
    const target = await targetStudy(ctx, request, reply);
    if (!target) return reply;
    const reason = field(request.body, 'reason').trim();
    if (reason.length < 3) return refuse(ctx, request, reply, target.id, text(ctx, request, 'signOff.reasonNeeded'));
    try {
      await rejectStudy(ctx.store, ctx.layout, target.studyUid, reason, viewer.user.name, { version: target.version });
    } catch (error) {
      if (error instanceof ReviewError) return refuse(ctx, request, reply, target.id, error.message);
      throw error;
    }
    return reply.redirect(`${ctx.basePath}studies/${target.id}`, 303);
  });
}

/** The study by its number, and the version the form was made for. */
async function targetStudy(ctx: WebContext, request: StudyRequest, reply: FastifyReply): Promise<{ id: number; studyUid: string; version: number } | null> {
  const study = /^\d{1,12}$/.test(request.params.id) ? await ctx.store.studies.byId(Number(request.params.id)) : null;
  if (study === null) {
    sendPage(reply, ctx, request, 'refused', '', text(ctx, request, 'common.notFoundTitle'), { message: text(ctx, request, 'common.notFound') }, null, 404);
    return null;
  }
  const version = field(request.body, 'version');
  if (!/^\d{1,9}$/.test(version)) {
    refuse(ctx, request, reply, study.id, text(ctx, request, 'signOff.noVersion'));
    return null;
  }
  return { id: study.id, studyUid: study.studyUid, version: Number(version) };
}

function parseShown(value: string): { id: number; sha256: string } | null {
  const match = /^(\d{1,12}):([0-9a-f]{64})$/.exec(value);
  return match ? { id: Number(match[1]), sha256: match[2] ?? '' } : null;
}

/** A refusal in words, with the way back to the study: nothing was changed. */
function refuse(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, studyId: number, message: string): FastifyReply {
  return sendPage(reply, ctx, request, 'sign-off-refused', '', text(ctx, request, 'signOff.refusedTitle'), { message, studyUrl: `${ctx.basePath}studies/${studyId}` }, null, 409);
}
