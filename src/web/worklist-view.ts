import { isAbsolute, join, relative } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { DeliveryProblem, QuarantinedFile, StudyInError, WorklistFilter, WorklistStudy } from '../store/worklist-queries.ts';
import { calendarDate, formatName, formatTime, word } from './format-view.ts';
import type { PageTexts } from './page-texts.ts';
import type { WebContext } from './web-context.ts';

/** How many of the latest released studies and quarantined files the worklist shows. */
export const RECENT_LIMIT = 50;

/** The filter the worklist's query string asks for; a date that is not one is left out and said so. */
export function worklistFilter(query: unknown): { filter: WorklistFilter; form: { from: string; to: string; q: string }; badDate: boolean } {
  const given = (name: string): string => {
    const value = (query as Record<string, unknown> | null | undefined)?.[name];
    return typeof value === 'string' ? value.trim().slice(0, 100) : '';
  };
  const form = { from: given('from'), to: given('to'), q: given('q') };
  const from = calendarDate(form.from);
  const to = calendarDate(form.to);
  const filter: WorklistFilter = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(form.q ? { text: form.q } : {}) };
  return { filter, form, badDate: (form.from !== '' && !from) || (form.to !== '' && !to) };
}

export interface WorklistData {
  held: { rows: WorklistStudy[]; total: number };
  inError: { rows: StudyInError[]; total: number };
  deliveries: { rows: DeliveryProblem[]; total: number };
  recent: { rows: WorklistStudy[]; total: number };
  quarantined: { rows: QuarantinedFile[]; total: number };
}

/** Reads every section of the worklist for this filter. */
export async function worklistData(ctx: WebContext, filter: WorklistFilter): Promise<WorklistData> {
  const lists = ctx.store.worklist;
  return {
    held: await lists.held(filter),
    inError: await lists.inError(filter),
    deliveries: await lists.deliveryProblems(filter),
    recent: await lists.recentlyReleased(filter, RECENT_LIMIT),
    quarantined: await lists.quarantined(filter, RECENT_LIMIT),
  };
}

/** Every patient the page shows, once each (NEN 7513: one view-log entry per patient per page view). */
export function patientsShown(data: WorklistData): { patientId: string | null; studyRef: number | null }[] {
  const seen = new Map<string, { patientId: string | null; studyRef: number | null }>();
  for (const study of [...data.held.rows, ...data.inError.rows, ...data.deliveries.rows, ...data.recent.rows]) {
    const key = study.patientId === null ? `study:${study.id}` : `patient:${study.patientId}`;
    if (!seen.has(key)) seen.set(key, { patientId: study.patientId, studyRef: study.id });
  }
  return [...seen.values()];
}

/** The worklist page's view: every value plain text, escaped by the template. */
export function worklistView(ctx: WebContext, request: FastifyRequest, data: WorklistData, form: { from: string; to: string; q: string }): Record<string, unknown> {
  const texts = ctx.texts[request.language];
  const row = (study: WorklistStudy) => studyRow(ctx, texts, study);
  const problems = [
    ...data.inError.rows.map((study) => ({ ...row(study), problem: text(texts, 'problems.studyError'), destination: null, attempts: null, nextAttempt: null, detail: study.error.detail, at: formatTime(study.error.at), isFailed: true })),
    ...data.deliveries.rows.map((study) => ({
      ...row(study),
      problem: text(texts, study.delivery.state === 'failed' ? 'problems.deliveryFailed' : 'problems.deliveryRetrying'),
      destination: study.delivery.destination,
      attempts: study.delivery.attempts,
      nextAttempt: study.delivery.state === 'pending' ? formatTime(study.delivery.nextAttemptAt) : null,
      detail: study.delivery.lastError ?? '',
      at: null,
      isFailed: study.delivery.state === 'failed',
    })),
  ];
  const count = (anchor: string, label: string, n: number) => ({ anchor, label: text(texts, `counts.${label}`), n, some: n > 0, kind: label });
  return {
    filter: { ...form, active: form.from !== '' || form.to !== '' || form.q !== '' },
    counts: [
      count('held', 'held', data.held.total),
      count('problems', 'problems', data.inError.total + data.deliveries.total),
      count('recent', 'recent', data.recent.total),
      count('quarantined', 'quarantined', data.quarantined.total),
    ],
    held: { rows: data.held.rows.map(row), total: data.held.total, empty: data.held.rows.length === 0 },
    problems: { rows: problems, total: problems.length, empty: problems.length === 0 },
    recent: { rows: data.recent.rows.map(row), shown: data.recent.rows.length, total: data.recent.total, more: data.recent.total > data.recent.rows.length, empty: data.recent.rows.length === 0 },
    quarantined: {
      rows: data.quarantined.rows.map((file) => ({ path: file.inboxPath, reason: file.reason ?? '', destination: file.destination === null ? '' : underOut(ctx, file.destination), received: formatTime(file.receivedAt) })),
      shown: data.quarantined.rows.length,
      total: data.quarantined.total,
      more: data.quarantined.total > data.quarantined.rows.length,
      empty: data.quarantined.rows.length === 0,
    },
  };
}

/** A path under out/ as `out/…`; any other as it is. */
function underOut(ctx: WebContext, path: string): string {
  const within = relative(ctx.layout.out, path);
  return within !== '' && !within.startsWith('..') && !isAbsolute(within) ? join('out', within) : path;
}

function text(texts: PageTexts, key: string): string {
  let node: unknown = texts.worklist;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : key;
}

/** One study as a row: who, when, its state, and every flag of its current version in words (the holding ones first, as the reason it is held). */
function studyRow(ctx: WebContext, texts: PageTexts, study: WorklistStudy) {
  const classification = study.assessed?.classification ?? null;
  const holding = new Set<string>(classification?.holdingFlags ?? []);
  const flags = [...new Set((classification?.flags ?? []).map((flag) => flag.code))];
  const flagView = (code: string) => ({ code, words: word(texts, 'flags', code) });
  const name = formatName(study.assessed?.patient.name);
  return {
    id: study.id,
    url: `${ctx.basePath}studies/${study.id}`,
    name,
    noName: name === '',
    patientId: study.patientId ?? '',
    studyDate: study.studyDate ?? '',
    accession: study.accession ?? '',
    state: study.state,
    stateWords: text(texts, `states.${study.state}`),
    version: study.version,
    category: study.assessed ? text(texts, `categories.${classification?.category ?? 'none'}`) : '',
    changed: formatTime(study.updatedAt),
    newVersionPending: study.newVersionPending,
    holding: [...holding].map(flagView),
    noHolding: holding.size === 0,
    otherFlags: flags.filter((code) => !holding.has(code)).map(flagView),
  };
}
