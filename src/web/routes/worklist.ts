import type { FastifyInstance } from 'fastify';
import { requireCapability, sendPage, text } from '../guard.ts';
import { logViews } from '../view-log.ts';
import type { WebContext } from '../web-context.ts';
import { patientsShown, worklistData, worklistFilter, worklistView } from '../worklist-view.ts';

/**
 * The worklist: held studies (oldest first, with the reason each is held), studies in trouble,
 * the latest released and the quarantined files, narrowed by date and text. Every patient shown
 * is in the view log before the page is sent.
 */
export function registerWorklist(app: FastifyInstance, ctx: WebContext): void {
  app.get('/', async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'see')) return reply;
    const { filter, form, badDate } = worklistFilter(request.query);
    const data = await worklistData(ctx, filter);
    await logViews(ctx, request, patientsShown(data), 'worklist');
    const notice = badDate ? { kind: 'error' as const, text: text(ctx, request, 'worklist.filter.badDate') } : null;
    return sendPage(reply, ctx, request, 'worklist', 'worklist', text(ctx, request, 'worklist.title'), worklistView(ctx, request, data, form), notice);
  });
}
