import type { FastifyRequest } from 'fastify';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { EMPTY_CONTEXT, FRACTURE_SITES, type ClinicalContext, type ContextField, type ContextProvenance } from '../model/clinical-context.ts';
import { ENERGIES, type ContextFormValues, type FormProblem } from './context-form-input.ts';
import { formatMoment } from './format-view.ts';
import { text } from './guard.ts';
import { may, type WebContext } from './web-context.ts';

/** The study a context form is for: the form names the version it was made from. */
export interface ContextFormStudy {
  id: number;
  studyUid: string;
  version: number;
}

/** The context a version was classified with, and where each value came from. */
export interface CurrentContext {
  context: Pick<ClinicalContext, 'menopausalStatus' | 'fractureHistory' | 'gp'>;
  provenance: ContextProvenance;
  /** whose context it is, for the view log */
  patientId: string | null;
}

/** At least this many fracture rows; one empty row more when the history fills them. */
const MIN_FRACTURE_ROWS = 3;

/**
 * The view of the context entry form on the study page (rendered by pages/context-form.html inside
 * `{{#contextForm}}…{{/contextForm}}`), or null when this viewer may not enter context.
 */
export async function contextFormView(ctx: WebContext, request: FastifyRequest, study: ContextFormStudy): Promise<Record<string, unknown> | null> {
  if (request.viewer === null || !may(request.viewer.user.role, 'enterContext')) return null;
  const current = await currentContext(ctx, study);
  return formView(ctx, request, study, current, valuesOf(current), []);
}

/** What the study's current version was classified with; nothing for a study without a version yet. */
export async function currentContext(ctx: WebContext, study: ContextFormStudy): Promise<CurrentContext> {
  const stored = study.version > 0 ? await ctx.store.studies.storedResult(study, study.version) : null;
  return stored === null ? { context: EMPTY_CONTEXT, provenance: {}, patientId: null } : contextOf(stored);
}

/** A stored result's context; one stored before provenance was recorded says what it can: its sidecar, the export's physician. */
export function contextOf(stored: AssessedStudy): CurrentContext {
  const { menopausalStatus, fractureHistory, gp, sources, provenance } = stored.context;
  const context = { menopausalStatus, fractureHistory, ...(gp === undefined ? {} : { gp: { ...gp, address: gp.address } }) };
  const patientId = stored.patient.id;
  if (provenance !== undefined) return { context, provenance, patientId };
  const file = sources[0];
  const sidecar = file === undefined ? undefined : { source: 'sidecar' as const, file };
  const physician = stored.study.referringPhysician ? { source: 'scanner' as const } : undefined;
  return {
    context,
    provenance: {
      ...(sidecar && menopausalStatus !== 'unknown' ? { menopausalStatus: sidecar } : {}),
      ...(sidecar && fractureHistory.length > 0 ? { fractureHistory: sidecar } : {}),
      ...(sidecar && gp !== undefined ? { gp: sidecar } : physician ? { gp: physician } : {}),
    },
    patientId,
  };
}

/** The form's values from a context: what the form shows before anyone changes it. */
export function valuesOf(current: CurrentContext): ContextFormValues {
  const { context } = current;
  return {
    menopausalStatus: context.menopausalStatus,
    fractures: context.fractureHistory.map((f) => ({ site: f.site, date: f.date ?? '', age: f.ageAtFracture === undefined ? '' : String(f.ageAtFracture), energy: f.energy, note: f.note ?? '' })),
    gp: { name: context.gp?.name ?? '', practice: context.gp?.practice ?? '', address: (context.gp?.address ?? []).join('\n'), agb: context.gp?.agb ?? '' },
    reason: '',
  };
}

/** The form's view: `values` as the fields hold them, each value's origin in words, the problems of a refused post. */
export function formView(ctx: WebContext, request: FastifyRequest, study: ContextFormStudy, current: CurrentContext, values: ContextFormValues, problems: FormProblem[]): Record<string, unknown> {
  const t = (key: string) => text(ctx, request, `context.${key}`);
  const options = <T extends string>(known: readonly T[], chosen: string, label: (value: T) => string, blank: boolean) => [
    ...(blank ? [{ value: '', label: '—', selected: chosen === '' }] : []),
    ...known.map((value) => ({ value, label: label(value), selected: value === chosen })),
  ];
  const filled = values.fractures.filter((row) => row.site !== '' || row.date !== '' || row.age !== '');
  const rows = [...values.fractures, ...Array.from({ length: Math.max(MIN_FRACTURE_ROWS - values.fractures.length, filled.length >= values.fractures.length ? 1 : 0) }, () => ({ site: '', date: '', age: '', energy: '', note: '' }))];
  return {
    action: `${ctx.basePath}studies/${study.id}/context`,
    version: study.version,
    studyId: study.id,
    menopausalStatus: {
      options: options(['pre', 'peri', 'post', 'unknown'] as const, values.menopausalStatus, (value) => t(`menopausal.${value}`), false),
      origin: origin(ctx, request, current.provenance, 'menopausalStatus', (value) => t(`menopausal.${String(value)}`)),
    },
    fractures: {
      rows: rows.map((row, index) => ({
        number: index + 1,
        sites: options(FRACTURE_SITES, row.site, (site) => t(`sites.${site}`), true),
        date: row.date,
        age: row.age,
        energies: options(ENERGIES, row.energy, (energy) => t(`energies.${energy}`), true),
        note: row.note,
      })),
      origin: origin(ctx, request, current.provenance, 'fractureHistory', (value) => fractureWords(ctx, request, value)),
    },
    gp: { ...values.gp, origin: origin(ctx, request, current.provenance, 'gp', (value) => gpWords(value)) },
    reason: values.reason,
    entry: current.provenance.entry ? { by: current.provenance.entry.enteredBy, at: formatMoment(current.provenance.entry.enteredAt, request.language), reason: current.provenance.entry.reason } : null,
    problems: problems.map((problem) => problemWords(ctx, request, problem)),
    hasProblems: problems.length > 0,
  };
}

/** Where a value came from, in words: `uit sidecar study-1/context.json`, `ingevoerd door laura op 2 dec 2026 09:12`, and what it overruled. */
function origin(ctx: WebContext, request: FastifyRequest, provenance: ContextProvenance, fieldName: ContextField, words: (value: unknown) => string): { text: string; source: string; overruled: string | null } {
  const t = (key: string) => text(ctx, request, `context.${key}`);
  const given = provenance[fieldName];
  if (given === undefined) return { text: t('origin.none'), source: 'none', overruled: null };
  let said: string;
  if (given.source === 'entered') {
    const entry = provenance.entry;
    said = entry ? `${t('origin.entered')} ${entry.enteredBy} ${t('origin.on')} ${formatMoment(entry.enteredAt, request.language)}` : t('origin.entered');
  } else if (given.source === 'sidecar') said = `${t('origin.sidecar')}${given.file === undefined ? '' : ` (${given.file})`}`;
  else said = t('origin.scanner');
  const before = given.overruled;
  const overruled = before === undefined ? null : `${t('origin.overrules')} ${t(`origin.from.${before.source}`)}${before.file === undefined ? '' : ` (${before.file})`}: ${words(before.value)}`;
  return { text: said, source: given.source, overruled };
}

function fractureWords(ctx: WebContext, request: FastifyRequest, value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return text(ctx, request, 'context.noFractures');
  return (value as { site: string; date?: string; ageAtFracture?: number; energy: string }[])
    .map((f) => `${text(ctx, request, `context.sites.${f.site}`)} (${[f.date, f.ageAtFracture === undefined ? undefined : `${f.ageAtFracture} ${text(ctx, request, 'context.years')}`, text(ctx, request, `context.energies.${f.energy}`)].filter(Boolean).join(', ')})`)
    .join('; ');
}

function gpWords(value: unknown): string {
  const gp = value as { name?: string; practice?: string; address?: string[] } | null;
  return [gp?.name, gp?.practice, ...(gp?.address ?? [])].filter(Boolean).join(', ');
}

function problemWords(ctx: WebContext, request: FastifyRequest, problem: FormProblem): string {
  const words = text(ctx, request, `context.problems.${problem.key}`);
  const row = problem.row === undefined ? '' : `${text(ctx, request, 'context.fractureRow')} ${problem.row}: `;
  const detail = problem.detail === undefined ? '' : ` (${problem.key === 'schema' ? problem.detail : text(ctx, request, `context.fields.${problem.detail}`)})`;
  return `${row}${words}${detail}`;
}
