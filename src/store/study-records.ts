import { sql } from 'kysely';
import { z } from 'zod';
import { AssessedStudySchema, type AssessedStudy } from '../model/assessed-study.ts';
import { InstanceExtractionSchema, type InstanceExtraction } from '../model/study.ts';
import { decodeJson, decodeRow, decodeRows } from './decode.ts';
import { now } from './engine.ts';
import { STUDY_STATES, type StudyState } from './lifecycle.ts';
import type { Repository } from './repository.ts';

const StudyRecordSchema = z.object({
  id: z.number(),
  studyUid: z.string(),
  patientRef: z.number().nullable(),
  studyDate: z.string().nullable(),
  accession: z.string().nullable(),
  state: z.enum(STUDY_STATES),
  dueAt: z.string().nullable(),
  fingerprint: z.string().nullable(),
  version: z.number(),
  revision: z.number(),
  releasedVersion: z.number().nullable(),
  claimedBy: z.string().nullable(),
});
export type StudyRecord = z.infer<typeof StudyRecordSchema>;

const STUDY_COLUMNS = ['id', 'studyUid', 'patientRef', 'studyDate', 'accession', 'state', 'dueAt', 'fingerprint', 'version', 'revision', 'releasedVersion', 'claimedBy'] as const;

/** How long a study taken for assembly stays another instance's: far longer than an assembly takes. */
export const CLAIM_MS = 5 * 60_000;

/** Studies, their instances and their classified versions. */
export class StudyRecords {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /** Stores one instance under its study (creating patient and study when new) and makes the study due. */
  async storeInstance(extraction: InstanceExtraction, fileId: number, source: { folder: string; name: string }, dueAt: string): Promise<number> {
    const { db, identity } = this.#r;
    const patientRef = extraction.patient.id === null ? null : await this.#patient(extraction.patient.id, extraction.patient.issuer ?? identity.localIssuer);
    const { studyInstanceUid, studyDate, accessionNumber } = extraction.study;
    await db
      .insertInto('studies')
      .values({ studyUid: studyInstanceUid, patientRef, studyDate, accession: accessionNumber, state: 'received', dueAt, updatedAt: now() })
      .onConflict((oc) =>
        // an instance arriving later may bring what the first lacked (a VFA SR has no accession number)
        oc.column('studyUid').doUpdateSet((eb) => ({
          dueAt,
          patientRef: eb.fn.coalesce('studies.patientRef', eb.val(patientRef)),
          studyDate: eb.fn.coalesce('studies.studyDate', eb.val(studyDate)),
          accession: eb.fn.coalesce('studies.accession', eb.val(accessionNumber)),
          state: eb.case().when('studies.state', '=', 'rejected').then('received').else(eb.ref('studies.state')).end(),
          revision: eb('studies.revision', '+', 1),
          updatedAt: now(),
        })),
      )
      .execute();
    const study = await this.byUid(studyInstanceUid);
    if (study === null) throw new Error(`study ${studyInstanceUid} was stored but cannot be read back`);
    const instance = await db
      .insertInto('instances')
      .values({ sopInstanceUid: extraction.instance.sopInstanceUid, studyRef: study.id, fileRef: fileId, inboxKey: identity.inboxKey, sourceFolder: source.folder, sourceName: source.name, receivedAt: now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('instanceExtractions').values({ instanceRef: instance.id, extraction: JSON.stringify(extraction) }).execute();
    return study.id;
  }

  async #patient(patientId: string, issuer: string): Promise<number> {
    await this.#r.db.insertInto('patients').values({ patientId, issuer }).onConflict((oc) => oc.columns(['patientId', 'issuer']).doNothing()).execute();
    const row = await this.#r.db.selectFrom('patients').select('id').where('patientId', '=', patientId).where('issuer', '=', issuer).executeTakeFirstOrThrow();
    return row.id;
  }

  /** Takes back the instance read from a file whose bytes will not be archived; says whose study it was. */
  async withdrawInstance(fileId: number): Promise<number | null> {
    const { db } = this.#r;
    await db.deleteFrom('instanceExtractions').where('instanceRef', 'in', db.selectFrom('instances').select('id').where('fileRef', '=', fileId)).execute();
    const row = await db.deleteFrom('instances').where('fileRef', '=', fileId).returning('studyRef').executeTakeFirst();
    return row?.studyRef ?? null;
  }

  async instanceExists(sopInstanceUid: string): Promise<boolean> {
    return (await this.#r.db.selectFrom('instances').select('id').where('sopInstanceUid', '=', sopInstanceUid).executeTakeFirst()) !== undefined;
  }

  async byUid(uid: string): Promise<StudyRecord | null> {
    return this.#one(await this.#select().where('studyUid', '=', uid).executeTakeFirst());
  }

  async byId(id: number): Promise<StudyRecord | null> {
    return this.#one(await this.#select().where('id', '=', id).executeTakeFirst());
  }

  /** The study, locked for the rest of the transaction on PostgreSQL (SQLite's transactions hold the whole store). */
  async byIdForUpdate(id: number): Promise<StudyRecord | null> {
    return this.#one(await this.#select().where('id', '=', id).$if(this.#r.kind === 'postgres', (qb) => qb.forUpdate()).executeTakeFirst());
  }

  /** A study by its UID, accession number or number in this store. */
  async find(key: string): Promise<StudyRecord | null> {
    const byAccession = await this.#select().where('accession', '=', key).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return (await this.byUid(key)) ?? this.#one(byAccession) ?? (/^\d+$/.test(key) ? this.byId(Number(key)) : null);
  }

  /** Classified studies whose study date lies from `from` to `to` (both `YYYY-MM-DD`, inclusive), oldest first. */
  async classifiedBetween(from: string, to: string): Promise<StudyRecord[]> {
    const rows = await this.#select().where('studyDate', '>=', from).where('studyDate', '<=', to).where('version', '>', 0).orderBy('studyDate').orderBy('id').execute();
    return decodeRows(StudyRecordSchema, rows, 'studies');
  }

  /**
   * Takes up to `limit` due studies to assemble, at most one per patient and none of a patient
   * another instance is assembling: a prior is committed before the study that compares with it.
   * Studies another instance holds (locked, or claimed and not yet expired) are passed over.
   */
  async claimDue(at: string, limit: number): Promise<StudyRecord[]> {
    const { db, kind, identity } = this.#r;
    const candidates = await this.#select()
      .where('dueAt', '<=', at)
      .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', at)]))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('studies as other').select('other.id').whereRef('other.patientRef', '=', 'studies.patientRef').whereRef('other.id', '!=', 'studies.id').where('other.claimedUntil', '>=', at))),
      )
      .orderBy('dueAt')
      .orderBy('id')
      .limit(limit * 4)
      .$if(kind === 'postgres', (qb) => qb.forUpdate().skipLocked())
      .execute();
    const patients = new Set<number>();
    const taken: StudyRecord[] = [];
    for (const study of decodeRows(StudyRecordSchema, candidates, 'studies')) {
      if (taken.length >= limit) break;
      if (study.patientRef !== null && patients.has(study.patientRef)) continue;
      if (study.patientRef !== null) patients.add(study.patientRef);
      taken.push(study);
    }
    if (taken.length === 0) return [];
    const until = new Date(Date.parse(at) + CLAIM_MS).toISOString();
    await db.updateTable('studies').set({ claimedBy: identity.instance, claimedUntil: until }).where('id', 'in', taken.map((study) => study.id)).execute();
    return taken.map((study) => ({ ...study, claimedBy: identity.instance }));
  }

  /**
   * Takes one study for `taker` (a reviewer), unless someone else holds it. The taker's own claim
   * may be taken again: it is left by a run of theirs that died before it let go, and they give
   * the action again.
   */
  async claim(study: StudyRecord, taker: string, at: string): Promise<boolean> {
    const result = await this.#r.db
      .updateTable('studies')
      .set({ claimedBy: taker, claimedUntil: new Date(Date.parse(at) + CLAIM_MS).toISOString() })
      .where('id', '=', study.id)
      .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', at), eb('claimedBy', '=', taker)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Lets go of a study, changing nothing else. */
  async unclaim(study: StudyRecord): Promise<void> {
    await this.#r.db.updateTable('studies').set({ claimedBy: null, claimedUntil: null }).where('id', '=', study.id).where('claimedBy', '=', study.claimedBy).execute();
  }

  /**
   * The study's version and state after a transition; lets go of it. It stays due when its inputs
   * changed since it was taken (`study.revision`): that change makes the next version.
   */
  async setVersion(study: StudyRecord, next: { state: StudyState; version: number; fingerprint: string | null; released: boolean }): Promise<void> {
    await this.#r.db
      .updateTable('studies')
      .set((eb) => ({
        state: next.state,
        version: next.version,
        fingerprint: next.fingerprint,
        releasedVersion: next.released ? next.version : eb.ref('releasedVersion'),
        dueAt: eb.case().when('revision', '=', study.revision).then(null).else(eb.ref('dueAt')).end(),
        claimedBy: null,
        claimedUntil: null,
        updatedAt: now(),
      }))
      .where('id', '=', study.id)
      .execute();
  }

  async setState(study: StudyRecord, state: StudyState): Promise<void> {
    await this.#r.db.updateTable('studies').set({ state, updatedAt: now() }).where('id', '=', study.id).execute();
  }

  /** Lets go of a study taken for assembly, leaving it due at `dueAt` (null: not due) unless its inputs changed meanwhile. */
  async release(study: StudyRecord, dueAt: string | null): Promise<void> {
    await this.#r.db
      .updateTable('studies')
      .set((eb) => ({ claimedBy: null, claimedUntil: null, dueAt: eb.case().when('revision', '=', study.revision).then(dueAt).else(eb.ref('dueAt')).end(), updatedAt: now() }))
      .where('id', '=', study.id)
      .execute();
  }

  /** At start-up: what this instance had taken when it stopped is free again. */
  async releaseClaimsOfThisInstance(): Promise<void> {
    await this.#r.db.updateTable('studies').set({ claimedBy: null, claimedUntil: null }).where('claimedBy', '=', this.#r.identity.instance).execute();
  }

  async nextDueAt(): Promise<string | null> {
    const row = await this.#r.db.selectFrom('studies').select((eb) => eb.fn.min('dueAt').as('due')).where('dueAt', 'is not', null).executeTakeFirst();
    return (row?.due as string | null | undefined) ?? null;
  }

  /** When the next study is due, leaving out studies that wait for an incomplete file beside them. */
  async nextDueBesideNoIncomplete(): Promise<string | null> {
    const row = await this.#r.db
      .selectFrom('studies as s')
      .select((eb) => eb.fn.min('s.dueAt').as('due'))
      .where('s.dueAt', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('instances as n').innerJoin('incompleteFiles as i', (join) => join.onRef('i.folder', '=', 'n.sourceFolder').onRef('i.inboxKey', '=', 'n.inboxKey')).select('n.id').whereRef('n.studyRef', '=', 's.id'))),
      )
      .executeTakeFirst();
    return (row?.due as string | null | undefined) ?? null;
  }

  async instancesOf(study: StudyRecord): Promise<{ extraction: InstanceExtraction; folder: string; name: string }[]> {
    const rows = await this.#r.db
      .selectFrom('instances as i')
      // a left join: an instance whose extraction is missing is an error, never a study without it
      .leftJoin('instanceExtractions as e', 'e.instanceRef', 'i.id')
      .select(['e.extraction', 'i.sourceFolder', 'i.sourceName'])
      .where('i.studyRef', '=', study.id)
      .orderBy('i.id')
      .execute();
    return rows.map((row) => ({
      extraction: decodeJson(InstanceExtractionSchema, row.extraction ?? 'null', `study ${study.studyUid}, instance from ${row.sourceFolder}/${row.sourceName}`),
      folder: row.sourceFolder,
      name: row.sourceName,
    }));
  }

  /** Studies with an instance that arrived in this inbox folder: a context file there concerns them. */
  async inFolder(folder: string): Promise<number[]> {
    const rows = await this.#r.db.selectFrom('instances').select('studyRef').distinct().where('inboxKey', '=', this.#r.identity.inboxKey).where('sourceFolder', '=', folder).execute();
    return rows.map((row) => row.studyRef);
  }

  /** The inbox folders of this instance that the studies' instances arrived in, per study. */
  async sourceFolders(studyIds: number[]): Promise<Map<number, Set<string>>> {
    const folders = new Map<number, Set<string>>();
    if (studyIds.length === 0) return folders;
    // the inbox is checked here, not in SQL: with an IN list SQLite would search by the inbox's
    // key, which one instance on its own shares with every instance row (a scan growing with the store)
    const rows = await this.#r.db.selectFrom('instances').select(['studyRef', 'sourceFolder', 'inboxKey']).where('studyRef', 'in', studyIds).execute();
    for (const row of rows) if (row.inboxKey === this.#r.identity.inboxKey) folders.set(row.studyRef, (folders.get(row.studyRef) ?? new Set()).add(row.sourceFolder));
    return folders;
  }

  /** New input for these studies (context, a prior, a file taken back): each is due at `dueAt` for a new version. */
  async makeDue(studyIds: number[], dueAt: string): Promise<void> {
    if (studyIds.length === 0) return;
    await this.#r.db.updateTable('studies').set((eb) => ({ dueAt, revision: eb('revision', '+', 1), updatedAt: now() })).where('id', 'in', studyIds).execute();
  }

  /** The study waits (for an incomplete file beside it, or after a failure) and is looked at again at `dueAt`. */
  async postpone(studyId: number, dueAt: string): Promise<void> {
    await this.#r.db.updateTable('studies').set({ dueAt, claimedBy: null, claimedUntil: null, updatedAt: now() }).where('id', '=', studyId).execute();
  }

  /** The study's current version is made again (its letters were lost): due at `dueAt` whatever its inputs. */
  async makeAgain(studyId: number, dueAt: string): Promise<void> {
    await this.#r.db.updateTable('studies').set((eb) => ({ fingerprint: null, dueAt, revision: eb('revision', '+', 1), updatedAt: now() })).where('id', '=', studyId).execute();
  }

  /** What a classified version of a study was, as stored: the assessed study with its classification. */
  async storedResult(study: Pick<StudyRecord, 'id' | 'studyUid'>, version: number): Promise<AssessedStudy | null> {
    const row = await this.#r.db.selectFrom('classifications').select('result').where('studyRef', '=', study.id).where('version', '=', version).executeTakeFirst();
    return row ? decodeJson(AssessedStudySchema, row.result, `study ${study.studyUid} version ${version}`) : null;
  }

  /** The patient's classified studies before this date, latest first: the prior for §7 and the trend. */
  async priorsOf(study: StudyRecord, limit: number): Promise<AssessedStudy[]> {
    if (study.patientRef === null || study.studyDate === null) return [];
    const rows = await this.#r.db
      .selectFrom('studies as s')
      .innerJoin('classifications as c', (join) => join.onRef('c.studyRef', '=', 's.id').onRef('c.version', '=', 's.version'))
      .select(['c.result', 's.studyUid', 's.version'])
      .where('s.patientRef', '=', study.patientRef)
      .where('s.id', '!=', study.id)
      .where('s.studyDate', '<', study.studyDate)
      .orderBy('s.studyDate', 'desc')
      .orderBy('s.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => decodeJson(AssessedStudySchema, row.result, `study ${row.studyUid} version ${row.version}`));
  }

  /** Later studies of the same patient: a new classification here may change their comparison. */
  async laterStudiesOf(study: StudyRecord): Promise<number[]> {
    if (study.patientRef === null || study.studyDate === null) return [];
    const rows = await this.#r.db.selectFrom('studies').select('id').where('patientRef', '=', study.patientRef).where('id', '!=', study.id).where('studyDate', '>', study.studyDate).where('version', '>', 0).execute();
    return rows.map((row) => row.id);
  }

  /** A classified version: the assessed study as it was (JSON) and its measurements as rows. */
  async recordClassification(studyId: number, version: number, assessed: AssessedStudy): Promise<void> {
    const { db } = this.#r;
    await db.insertInto('classifications').values({ studyRef: studyId, version, category: assessed.classification.category, releasable: assessed.classification.releasable ? 1 : 0, result: JSON.stringify(assessed), createdAt: now() }).execute();
    if (assessed.measurements.length === 0) return;
    await db
      .insertInto('measurements')
      .values(assessed.measurements.map((m) => ({ studyRef: studyId, version, region: m.region, side: m.side, bmd: m.bmd, tScore: m.tScore, zScore: m.zScore })))
      .execute();
  }

  /** Held studies whose version is final (no new one being made), oldest study first. */
  async held(): Promise<StudyRecord[]> {
    return decodeRows(StudyRecordSchema, await this.#select().where('state', '=', 'held').where('dueAt', 'is', null).orderBy('studyDate').orderBy('id').execute(), 'studies');
  }

  /** Counts per lifecycle state for status; studies due are counted by what they wait for. */
  async countsByState(): Promise<Record<string, number>> {
    const waiting = sql<string>`CASE WHEN due_at IS NOT NULL AND EXISTS (SELECT 1 FROM instances n JOIN incomplete_files i ON i.folder = n.source_folder AND i.inbox_key = n.inbox_key WHERE n.study_ref = s.id) THEN 'waiting for an incomplete file'
      WHEN due_at IS NOT NULL THEN 'waiting for quiet period' ELSE state END`;
    const rows = await this.#r.db.selectFrom('studies as s').select([waiting.as('state'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy(waiting).execute();
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
  }

  #select() {
    return this.#r.db.selectFrom('studies').select(STUDY_COLUMNS);
  }

  #one(row: unknown): StudyRecord | null {
    return row === undefined ? null : decodeRow(StudyRecordSchema, row, 'studies');
  }
}
