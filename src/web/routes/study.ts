import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireCapability, sendPage, text } from '../guard.ts';
import { letterDownloadName, readLetterFile } from '../study-letter-file.ts';
import { readStudy, studyView } from '../study-view.ts';
import { logView } from '../view-log.ts';
import type { WebContext } from '../web-context.ts';

const NUMBER = /^\d{1,12}$/;

/** What another page may ask the study page to say when it sends the browser back (`?notice=…`): fixed words, never the query's text. */
const NOTICES: Record<string, string> = { contextEntered: 'context.entered' };

/**
 * The study page (everything known of one study, its letters inline) and its letters as PDF.
 * Every view is logged before anything of the patient is sent.
 */
export function registerStudyPage(app: FastifyInstance, ctx: WebContext): void {
  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>('/studies/:id', { exposeHeadRoute: false }, async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'see')) return reply;
    const data = NUMBER.test(request.params.id) ? await readStudy(ctx, Number(request.params.id)) : null;
    if (data === null) return notFound(ctx, request, reply);
    const view = await studyView(ctx, request, data);
    await logView(ctx, request, { patientId: data.result?.patient.id ?? null, studyRef: data.study.id, what: 'study' });
    const title = `${text(ctx, request, 'study.title')} ${data.study.id}`;
    const notice = NOTICES[String(request.query.notice)];
    return sendPage(reply, ctx, request, 'study', '', title, view, notice === undefined ? null : { kind: 'ok', text: text(ctx, request, notice) });
  });

  // no automatic HEAD route: a HEAD would be logged as a view of the letter without showing it
  app.get<{ Params: { id: string; letterId: string } }>('/studies/:id/letters/:letterId.pdf', { exposeHeadRoute: false }, async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'see')) return reply;
    const { id, letterId } = request.params;
    const letter = NUMBER.test(id) && NUMBER.test(letterId) ? await ctx.store.history.letter(Number(id), Number(letterId)) : null;
    const bytes = letter === null ? null : await readLetterFile(letter, ctx.layout.out);
    if (letter === null || bytes === null) return notFound(ctx, request, reply);
    const study = await ctx.store.studies.byId(letter.studyRef);
    const result = study === null ? null : await ctx.store.studies.storedResult(study, letter.version);
    await logView(ctx, request, { patientId: result?.patient.id ?? null, studyRef: letter.studyRef, what: `letter ${letter.kind}` });
    return reply
      .code(200)
      .type('application/pdf')
      .header('Content-Disposition', `inline; filename="${letterDownloadName(letter)}"`)
      .header('X-Content-Type-Options', 'nosniff')
      .send(bytes);
  });
}

function notFound(ctx: WebContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendPage(reply, ctx, request, 'refused', '', text(ctx, request, 'common.notFoundTitle'), { message: text(ctx, request, 'common.notFound') }, null, 404);
}
