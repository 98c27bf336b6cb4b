import { sql, type Expression, type SqlBool } from 'kysely';
import { z } from 'zod';
import { AssessedStudySchema, type AssessedStudy } from '../model/assessed-study.ts';
import { decodeJson, decodeRows } from './decode.ts';
import { DELIVERY_STATES } from './deliveries.ts';
import { STUDY_STATES, OUT_STATES } from './lifecycle.ts';
import type { Repository } from './repository.ts';

/** What the worklist is narrowed to: study dates (files: received dates) from/to, `YYYY-MM-DD`, and text in a patient's name or ID or an accession number. */
export interface WorklistFilter {
  from?: string;
  to?: string;
  text?: string;
}

const StudyRowSchema = z.object({
  id: z.number(),
  studyUid: z.string(),
  studyDate: z.string().nullable(),
  accession: z.string().nullable(),
  state: z.enum(STUDY_STATES),
  version: z.number(),
  dueAt: z.string().nullable(),
  updatedAt: z.string(),
  patientId: z.string().nullable(),
  result: z.string().nullable(),
});

/** A study as a worklist row: its record, its patient's ID and its current version as classified (null before the first). */
export interface WorklistStudy {
  id: number;
  studyUid: string;
  studyDate: string | null;
  accession: string | null;
  state: z.infer<typeof StudyRowSchema>['state'];
  version: number;
  /** new input came: a new version is being made */
  newVersionPending: boolean;
  updatedAt: string;
  patientId: string | null;
  assessed: AssessedStudy | null;
}

/** A study whose last attempt at making its letters failed: the audit entry of that failure. */
export interface StudyInError extends WorklistStudy {
  error: { at: string; detail: string };
}

/** A delivery that failed for good, or whose last attempt failed and that will be tried again. */
export interface DeliveryProblem extends WorklistStudy {
  delivery: { id: number; version: number; destination: string; state: (typeof DELIVERY_STATES)[number]; attempts: number; lastError: string | null; nextAttemptAt: string };
}

const QuarantinedSchema = z.object({ id: z.number(), inboxPath: z.string(), destination: z.string().nullable(), reason: z.string().nullable(), receivedAt: z.string() });
export type QuarantinedFile = z.infer<typeof QuarantinedSchema>;

export interface Section<T> {
  rows: T[];
  /** every row the filter matches; more than `rows.length` when the section shows only the latest */
  total: number;
}

const DeliveryRowSchema = z.object({ dId: z.number(), dVersion: z.number(), destination: z.string(), dState: z.enum(DELIVERY_STATES), attempts: z.number(), lastError: z.string().nullable(), nextAttemptAt: z.string() });
const ErrorRowSchema = z.object({ errorAt: z.string(), errorDetail: z.string() });

/**
 * The review workstation's lists: held studies, studies in trouble, the latest released and the
 * quarantined files, each narrowed by date and text. Read-only; every study row carries its current
 * classified version (the JSON the letters were made from), decoded here.
 */
export class WorklistQueries {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /** Whether the store answers at all (the health check). */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#r.db);
  }

  /** Held studies, oldest study first: all of them (a held study waits for a person). */
  async held(filter: WorklistFilter): Promise<Section<WorklistStudy>> {
    // a study without a date last, on both engines (SQLite sorts nulls first, PostgreSQL last)
    const rows = await this.#studies(filter).where('s.state', '=', 'held').orderBy(sql`case when ${sql.ref('s.studyDate')} is null then 1 else 0 end`).orderBy('s.studyDate').orderBy('s.id').execute();
    const decoded = this.#decode(rows);
    return { rows: decoded, total: decoded.length };
  }

  /** Studies whose latest audit entry is a failure to make their letters: the service tries again, but someone should look. */
  async inError(filter: WorklistFilter): Promise<Section<StudyInError>> {
    const rows = await this.#studies(filter)
      .innerJoin('audit as a', 'a.studyRef', 's.id')
      .select(['a.at as errorAt', 'a.detail as errorDetail'])
      .where('a.action', '=', 'error')
      .where((eb) => eb('a.id', '=', eb.selectFrom('audit as last').select((inner) => inner.fn.max('last.id').as('m')).whereRef('last.studyRef', '=', 's.id')))
      .orderBy('a.at')
      .execute();
    const decoded = rows.map((row) => ({ ...this.#decodeOne(row), error: ((e) => ({ at: e.errorAt, detail: e.errorDetail }))(ErrorRowSchema.parse(row)) }));
    return { rows: decoded, total: decoded.length };
  }

  /** How many studies are in error as `inError` lists them, reading no patient data (the health check). */
  async inErrorCount(): Promise<number> {
    const row = await this.#r.db
      .selectFrom('audit as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.action', '=', 'error')
      .where('a.studyRef', 'is not', null)
      .where((eb) => eb('a.id', '=', eb.selectFrom('audit as last').select((inner) => inner.fn.max('last.id').as('m')).whereRef('last.studyRef', '=', 'a.studyRef')))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Deliveries that failed for good or whose last attempt failed, oldest first. */
  async deliveryProblems(filter: WorklistFilter): Promise<Section<DeliveryProblem>> {
    const rows = await this.#studies(filter)
      .innerJoin('deliveries as d', 'd.studyRef', 's.id')
      .select(['d.id as dId', 'd.version as dVersion', 'd.destination', 'd.state as dState', 'd.attempts', 'd.lastError', 'd.nextAttemptAt'])
      .where((eb) => eb.or([eb('d.state', '=', 'failed'), eb.and([eb('d.state', '=', 'pending'), eb('d.lastError', 'is not', null)])]))
      .orderBy('d.id')
      .execute();
    const decoded = rows.map((row) => {
      const d = DeliveryRowSchema.parse(row);
      return { ...this.#decodeOne(row), delivery: { id: d.dId, version: d.dVersion, destination: d.destination, state: d.dState, attempts: d.attempts, lastError: d.lastError, nextAttemptAt: d.nextAttemptAt } };
    });
    return { rows: decoded, total: decoded.length };
  }

  /** The latest studies whose letters went out, newest change first. */
  async recentlyReleased(filter: WorklistFilter, limit: number): Promise<Section<WorklistStudy>> {
    const rows = await this.#studies(filter).where('s.state', 'in', [...OUT_STATES]).orderBy('s.updatedAt', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
    const counted = await this.#joined()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(this.#matches(filter))
      .where('s.state', 'in', [...OUT_STATES])
      .executeTakeFirst();
    return { rows: this.#decode(rows), total: Number(counted?.n ?? 0) };
  }

  /** Quarantined files, newest first, with their reasons; text matches the file's inbox path or reason. */
  async quarantined(filter: WorklistFilter, limit: number): Promise<Section<QuarantinedFile>> {
    const conditions = [sql<SqlBool>`${sql.ref('outcome')} = 'quarantined'`];
    if (filter.from !== undefined) conditions.push(sql<SqlBool>`${sql.ref('receivedAt')} >= ${filter.from}`);
    if (filter.to !== undefined) conditions.push(sql<SqlBool>`${sql.ref('receivedAt')} < ${dayAfter(filter.to)}`);
    if (filter.text !== undefined) conditions.push(sql<SqlBool>`(${contains(sql.ref('inboxPath'), filter.text)} or ${contains(sql.ref('reason'), filter.text)})`);
    const where = sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
    const rows = await this.#r.db.selectFrom('files').select(['id', 'inboxPath', 'destination', 'reason', 'receivedAt']).where(where).orderBy('receivedAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
    const counted = await this.#r.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirst();
    return { rows: decodeRows(QuarantinedSchema, rows, 'files'), total: Number(counted?.n ?? 0) };
  }

  /** Studies with their patient and current classified version. */
  #joined() {
    return this.#r.db
      .selectFrom('studies as s')
      .leftJoin('patients as p', 'p.id', 's.patientRef')
      .leftJoin('classifications as c', (join) => join.onRef('c.studyRef', '=', 's.id').onRef('c.version', '=', 's.version'));
  }

  /** Studies as worklist rows, narrowed by the filter. */
  #studies(filter: WorklistFilter) {
    return this.#joined().select(['s.id', 's.studyUid', 's.studyDate', 's.accession', 's.state', 's.version', 's.dueAt', 's.updatedAt', 'p.patientId', 'c.result']).where(this.#matches(filter));
  }

  /** The filter as one condition on the joined studies (true when it narrows nothing). */
  #matches(filter: WorklistFilter): Expression<SqlBool> {
    const conditions = [sql<SqlBool>`1 = 1`];
    if (filter.from !== undefined) conditions.push(sql<SqlBool>`${sql.ref('s.studyDate')} >= ${filter.from}`);
    if (filter.to !== undefined) conditions.push(sql<SqlBool>`${sql.ref('s.studyDate')} <= ${filter.to}`);
    if (filter.text !== undefined) {
      const text = filter.text;
      conditions.push(sql<SqlBool>`(${contains(sql.ref('p.patientId'), text)} or ${contains(sql.ref('s.accession'), text)} or ${contains(this.#patientName(), text)})`);
    }
    return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
  }

  /** The patient's name from the stored result as one text to search in: family given family, so either order matches. */
  #patientName(): Expression<string> {
    const part = (key: 'family' | 'given') =>
      this.#r.kind === 'postgres' ? sql<string>`coalesce(c.result::jsonb #>> ${`{patient,name,${key}}`}::text[], '')` : sql<string>`coalesce(json_extract(c.result, ${`$.patient.name.${key}`}), '')`;
    return sql<string>`(${part('family')} || ' ' || ${part('given')} || ' ' || ${part('family')})`;
  }

  #decode(rows: unknown[]): WorklistStudy[] {
    return rows.map((row) => this.#decodeOne(row));
  }

  #decodeOne(row: unknown): WorklistStudy {
    const [study] = decodeRows(StudyRowSchema, [row], 'studies');
    if (study === undefined) throw new Error('unreachable: one row decoded to none');
    const { result, dueAt, ...rest } = study;
    return { ...rest, newVersionPending: dueAt !== null, assessed: result === null ? null : decodeJson(AssessedStudySchema, result, `study ${study.studyUid} version ${study.version}`) };
  }
}

/** `value` contains `text`, ignoring case; `%`, `_` and `\` in the text are themselves. */
function contains(value: Expression<unknown>, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${value}) like ${pattern} escape '\\'`;
}

/** The day after a `YYYY-MM-DD` date, for a bound on ISO times. */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
