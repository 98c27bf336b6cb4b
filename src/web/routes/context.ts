import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { enteredFromForm, readContextForm } from '../context-form-input.ts';
import { currentContext, formView, valuesOf, type ContextFormStudy } from '../context-form-view.ts';
import { requireCapability, sendPage, text } from '../guard.ts';
import { field } from '../http-security.ts';
import { logView } from '../view-log.ts';
import type { WebContext } from '../web-context.ts';

type StudyRequest = FastifyRequest<{ Params: { id: string } }>;

/** A newer version arrived between showing the form and posting it: nothing is stored. */
class StaleForm extends Error {
  override readonly name = 'StaleForm';
  readonly current: number;
  constructor(current: number) {
    super(`the study is at version ${current}`);
    this.current = current;
  }
}

/**
 * Clinical context entered on the workstation (every role may): the form on its own page, and
 * the post that stores an entry. The entry, its audit line with the reason and the study made
 * due are one transaction; the service then makes a new version from it.
 */
export function registerContextEntry(app: FastifyInstance, ctx: WebContext): void {
  app.get<{ Params: { id: string } }>('/studies/:id/context', async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'enterContext')) return reply;
    const study = await findStudy(ctx, request, reply);
    if (!study) return reply;
    const current = await currentContext(ctx, study);
    await logView(ctx, request, { patientId: current.patientId, studyRef: study.id, what: `clinical context form, version ${study.version}` });
    const view = formView(ctx, request, study, current, valuesOf(current), []);
    return sendPage(reply, ctx, request, 'context', '', text(ctx, request, 'context.pageTitle'), { contextForm: view, studyUrl: `${ctx.basePath}studies/${study.id}` });
  });

  app.post<{ Params: { id: string } }>('/studies/:id/context', async (request, reply) => {
    const viewer = requireCapability(ctx, request, reply, 'enterContext');
    if (!viewer) return reply;
    const found = await findStudy(ctx, request, reply);
    if (!found) return reply;
    const seen = field(request.body, 'version');
    if (!/^\d{1,9}$/.test(seen)) return refuse(ctx, request, reply, found.id, text(ctx, request, 'context.noVersion'), 422);
    if (Number(seen) !== found.version) return stale(ctx, request, reply, found.id, found.version, Number(seen));
    const study: ContextFormStudy = { ...found, version: Number(seen) };
    const current = await currentContext(ctx, study);
    const values = readContextForm(request.body);
    const result = enteredFromForm(values, current);
    if (!result.ok) {
      await logView(ctx, request, { patientId: current.patientId, studyRef: study.id, what: `clinical context form refused, version ${study.version}` });
      const view = formView(ctx, request, study, current, values, result.problems);
      return sendPage(reply, ctx, request, 'context', '', text(ctx, request, 'context.refusedTitle'), { contextForm: view, studyUrl: `${ctx.basePath}studies/${study.id}` }, null, 422);
    }
    try {
      await ctx.store.transaction(async (tx) => {
        const now = await tx.studies.byIdForUpdate(study.id);
        if (now === null || now.version !== study.version) throw new StaleForm(now?.version ?? 0);
        await tx.contextEntries.add(study.id, result.entry, viewer.user.name, result.reason);
        await tx.audit.add(study.id, 'context-entered', `clinical context entered on version ${study.version} (${Object.keys(result.entry).join(', ')}): ${result.reason}`, viewer.user.name);
        await tx.studies.makeDue([study.id], new Date().toISOString());
      });
    } catch (error) {
      if (error instanceof StaleForm) return stale(ctx, request, reply, study.id, error.current, study.version);
      throw error;
    }
    request.log.info({ study: study.studyUid, by: viewer.user.name, fields: Object.keys(result.entry) }, 'clinical context entered');
    ctx.service?.wake();
    return reply.redirect(`${ctx.basePath}studies/${study.id}?notice=contextEntered`, 303);
  });
}

async function findStudy(ctx: WebContext, request: StudyRequest, reply: FastifyReply): Promise<ContextFormStudy | null> {
  const study = /^\d{1,12}$/.test(request.params.id) ? await ctx.store.studies.byId(Number(request.params.id)) : null;
  if (study === null) {
    sendPage(reply, ctx, request, 'refused', '', text(ctx, request, 'common.notFoundTitle'), { message: text(ctx, request, 'common.notFound') }, null, 404);
    return null;
  }
  return { id: study.id, studyUid: study.studyUid, version: study.version };
}

function stale(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, studyId: number, current: number, seen: number): FastifyReply {
  const message = text(ctx, request, 'context.stale').replace('{{current}}', String(current)).replace('{{seen}}', String(seen));
  return refuse(ctx, request, reply, studyId, message, 409);
}

/** A refusal in words, with the way back to the study: nothing was stored. */
function refuse(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, studyId: number, message: string, status: number): FastifyReply {
  return sendPage(reply, ctx, request, 'sign-off-refused', '', text(ctx, request, 'context.refusedTitle'), { message, studyUrl: `${ctx.basePath}studies/${studyId}` }, null, status);
}
