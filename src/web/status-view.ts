import { relative } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { serviceStatus } from '../watch/status.ts';
import { formatTime } from './format-view.ts';
import type { WebContext } from './web-context.ts';

/** How many of the latest errors the status page lists. */
const LAST_ERRORS = 15;

/**
 * What the service is doing, for every role: since when it runs, what waits in the inbox, the
 * studies per state (those due by what they wait for), the outbox, the letters out/ cannot
 * account for, and the last errors. No patient names: studies are named by their number.
 */
export async function statusView(ctx: WebContext, request: FastifyRequest): Promise<Record<string, unknown>> {
  const words = (ctx.texts[request.language].status ?? {}) as { states?: Record<string, unknown> };
  const stateWord = (state: string) => {
    const value = words.states?.[state];
    return typeof value === 'string' ? value : state;
  };
  const counts = (byState: Record<string, number>) =>
    Object.entries(byState)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([state, n]) => ({ state, words: stateWord(state), n }));
  const status = await serviceStatus(ctx.store, ctx.layout);
  // the deliveries' own fields only: the status page names no patient
  const troubled = (await ctx.store.worklist.deliveryProblems({})).rows.map((study) => ({ studyId: study.id, ...study.delivery }));
  const nextAttempt = await ctx.store.deliveries.nextAttemptAt();
  const nextDue = await ctx.store.studies.nextDueAt();
  const errors = await ctx.store.audit.recent(LAST_ERRORS, ['error']);
  const inbox = (path: string) => relative(ctx.layout.inbox, path) || path;
  return {
    service: {
      running: ctx.service !== null,
      upSince: ctx.service ? formatTime(ctx.service.startedAt.toISOString()) : null,
      webSince: formatTime(ctx.startedAt.toISOString()),
      store: `${ctx.store.kind}: ${ctx.store.location}`,
      nextDue: formatTime(nextDue),
    },
    inbox: {
      waiting: status.waiting,
      oldest: status.oldestWaiting ? { path: inbox(status.oldestWaiting.path), since: formatTime(status.oldestWaiting.since) } : null,
      incomplete: status.incomplete.map((file) => ({ path: inbox(file.path), since: formatTime(file.unchangedSince), tries: file.tries, quarantineAt: formatTime(file.quarantineAt) })),
      incompleteCount: status.incomplete.length,
      quarantined: status.files.quarantined ?? 0,
    },
    files: counts(status.files),
    studies: counts(status.studies),
    letters: counts(status.letters),
    deliveries: { counts: counts(status.deliveries), none: Object.keys(status.deliveries).length === 0, nextAttempt: formatTime(nextAttempt) },
    troubledDeliveries: troubled.map((d) => ({
      url: `${ctx.basePath}studies/${d.studyId}`,
      study: d.studyId,
      version: d.version,
      destination: d.destination,
      failed: d.state === 'failed',
      stateWords: stateWord(d.state === 'failed' ? 'failed' : 'retrying'),
      nextAttempt: d.state === 'failed' ? '' : formatTime(d.nextAttemptAt),
      attempts: d.attempts,
      lastError: d.lastError ?? '',
    })),
    noTroubledDeliveries: troubled.length === 0,
    anomalies: [
      { key: 'unknown', paths: status.unknownLetters },
      { key: 'missing', paths: status.missingLetters },
      { key: 'temporary', paths: status.temporaryFiles },
    ]
      .filter((anomaly) => anomaly.paths.length > 0)
      .map((anomaly) => ({ label: (words as Record<string, Record<string, string> | undefined>).letters?.[anomaly.key] ?? anomaly.key, n: anomaly.paths.length, paths: anomaly.paths.slice(0, 20).map((path) => relative(ctx.layout.out, path) || path) })),
    dicom: {
      none: status.dicomAssociations.length === 0,
      associations: status.dicomAssociations.map((a) => ({
        at: formatTime(a.startedAt),
        callingAe: a.callingAe,
        address: a.address,
        calledAe: a.calledAe,
        outcome: stateWord(a.outcome),
        rejected: a.outcome === 'rejected',
        reason: a.reason ?? '',
        received: a.received,
        stored: a.stored,
        duplicates: a.duplicates,
        refused: a.refused,
        refusals: Object.entries(a.refusals).map(([why, n]) => ({ why, n })),
      })),
    },
    errors: errors.map((entry) => ({ at: formatTime(entry.at), study: entry.studyRef, url: entry.studyRef === null ? null : `${ctx.basePath}studies/${entry.studyRef}`, detail: entry.detail })),
    noErrors: errors.length === 0,
  };
}

/** The health check's answer: whether the store answers, and whether anything needs a person; never patient data. */
export async function health(ctx: WebContext): Promise<{ code: 200 | 503; body: Record<string, unknown> }> {
  try {
    await ctx.store.worklist.ping();
    const failed = (await ctx.store.deliveries.countsByState()).failed ?? 0;
    const inError = await ctx.store.worklist.inErrorCount();
    return {
      code: 200,
      body: {
        status: failed > 0 || inError > 0 ? 'degraded' : 'ok',
        store: 'ok',
        service: ctx.service ? 'running' : 'not in this process',
        upSince: ctx.service?.startedAt.toISOString() ?? null,
        failedDeliveries: failed,
        studiesInError: inError,
      },
    };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'health check: the store does not answer');
    return { code: 503, body: { status: 'down', store: 'not answering', service: ctx.service ? 'running' : 'not in this process' } };
  }
}
