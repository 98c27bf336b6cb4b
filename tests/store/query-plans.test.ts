import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { vfaRead } from '../../src/fixtures/vfa-builders.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { listHeld, showStudy } from '../../src/review/review-actions.ts';
import { retryFailedDelivery } from '../../src/store/study-transitions.ts';
import { serviceStatus } from '../../src/watch/status.ts';
import { fullScans, recordPreparedStatements } from '../helpers/query-plans.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { startTestWorkstation, USERS, type TestWorkstation, type WebClient } from '../helpers/web.ts';

/** Statements that may scan a growing table, each with why: what they read is the whole table by definition. */
const MAY_SCAN: { sql: RegExp; tables: string[]; why: string }[] = [
  {
    sql: /count\(\*\) as "n" from "\w+"(?: as "s")? group by/,
    tables: ['files', 'studies', 'letters', 'deliveries'],
    why: '`dexa status` counts every file, study, letter and delivery by state',
  },
  {
    sql: /^select "path", "in_place", "temporary_path" from "letters"$/,
    tables: ['letters'],
    why: "status's walk through out/ holds every file there against every letter recorded",
  },
];

/** Fewer distinct statements than this means the workload (or its recording) broke, not that the store got simpler. */
const AT_LEAST_STATEMENTS = 100;

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

let station: TestWorkstation | null = null;
let root = '';
afterEach(async () => {
  await station?.close();
  station = null;
  if (root) await rm(root, { recursive: true, force: true });
  root = '';
});

function fixture(prefix: string): FixtureStudy {
  const study = FIXTURE_STUDIES.find((candidate) => candidate.id.startsWith(prefix));
  if (study === undefined) throw new Error(`no fixture study ${prefix}`);
  return study;
}

/** A fixture folder's files as they lie in fixtures/ (Hologic exports are not written by studyFiles). */
async function fixtureFolder(id: string): Promise<{ name: string; bytes: Uint8Array }[]> {
  const names = (await readdir(join(FIXTURES, id))).filter((name) => name.endsWith('.dcm') || name === 'context.json');
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(FIXTURES, id, name)) })));
}

async function dropStudy(s: TestWorkstation, study: FixtureStudy, files = studyFiles(study)): Promise<void> {
  await drop(s.service.inbox, study.id, files);
  await s.service.service.idle();
}

async function recordOf(s: TestWorkstation, study: FixtureStudy) {
  const record = await s.service.store.studies.byUid(fixtureUids(study).study);
  if (record === null) throw new Error(`study ${study.id} was not stored`);
  return record;
}

async function shown(s: TestWorkstation, studyId: number): Promise<string[]> {
  return (await s.service.store.letters.current(studyId)).map((letter) => `${letter.id}:${letter.sha256 ?? ''}`);
}

const NO_FRACTURES = { fractureSite: ['', '', ''], fractureDate: ['', '', ''], fractureAge: ['', '', ''], fractureEnergy: ['', '', ''], fractureNote: ['', '', ''], gpName: '', gpPractice: '', gpAddress: '', gpAgb: '' };

/** Intake of GE and Hologic studies with context files, priors and a trend, an amendment, a context file arriving late. */
async function intake(s: TestWorkstation): Promise<void> {
  for (const prefix of ['01-', '08-', '13-']) await dropStudy(s, fixture(prefix));
  await drop(s.service.inbox, '23-hologic', await fixtureFolder('23-hologic-osteopenia-woman-66'));
  await s.service.service.idle();
  const followUp = fixture('27-');
  for (const study of [...(followUp.priors ?? []), followUp]) await dropStudy(s, study);
  const amended = syntheticStudy('amended', { neck: -2.6 });
  await dropStudy(s, amended);
  const vfa = { ...amended, profileInstances: [{ vfa: vfaRead([{ level: 'T9', shape: 'crush', reduction: 0.3 }]), bmd: [] }] };
  await dropStudy(s, amended, studyFiles(vfa).filter((file) => file.name.startsWith('PR')));
  for (const id of ['held-approve', 'held-reject']) await dropStudy(s, { ...syntheticStudy(id), context: undefined });
  const late = syntheticStudy('late-context');
  await dropStudy(s, { ...late, context: undefined });
  await dropStudy(s, late, studyFiles(late).filter((file) => file.name === 'context.json'));
  await drop(s.service.inbox, 'bad', [{ name: 'broken.dcm', bytes: new TextEncoder().encode('not DICOM at all') }]);
  await s.service.service.idle();
}

/** The workstation: worklist (filtered too), study pages and letters, context entry, approval, rejection, status and admin pages. */
async function review(s: TestWorkstation): Promise<void> {
  const laura = await s.client(USERS.laborant);
  const rob = await s.client(USERS.radioloog);
  const bea = await s.client(USERS.beheerder);
  await ok(laura.get(''));
  await ok(laura.get('?from=2020-01-01&to=2030-12-31&text=anna'));
  const approved = await recordOf(s, syntheticStudy('held-approve'));
  const rejected = await recordOf(s, syntheticStudy('held-reject'));
  await ok(laura.get(`studies/${approved.id}`));
  const [letter] = await s.service.store.letters.current(approved.id);
  await ok(laura.get(`studies/${approved.id}/letters/${letter?.id ?? 0}.pdf`));
  const entered = await recordOf(s, syntheticStudy('late-context'));
  await ok(laura.get(`studies/${entered.id}/context`));
  await ok(laura.post(`studies/${entered.id}/context`, { version: String(entered.version), menopausalStatus: 'peri', ...NO_FRACTURES, reason: 'volgens de gynaecoloog' }), 303);
  await s.service.service.idle();
  await ok(rob.post(`studies/${approved.id}/approve`, { version: String(approved.version), shown: await shown(s, approved.id) }), 303);
  await ok(rob.post(`studies/${rejected.id}/reject`, { version: String(rejected.version), reason: 'verkeerde patiënt' }), 303);
  await s.service.service.idle();
  await ok(rob.get(`studies/${approved.id}`));
  await ok(bea.get('status'));
  await ok(bea.get('healthz'));
  await ok(bea.get('admin/users'));
  await ok(bea.get('admin/views'));
  await ok(bea.get(`admin/views?user=${USERS.laborant}&patientId=P-held-approve&from=2020-01-01`));
}

/** What the command line asks: status, the review list, a study by accession, an export's date range, a retried delivery, the DICOM receiver's record. */
async function commands(s: TestWorkstation): Promise<void> {
  const { store } = s.service;
  const status = await serviceStatus(store, s.service);
  // the workload took studies through the lifecycle it says it does
  expect(Object.keys(status.studies)).toEqual(expect.arrayContaining(['held', 'released', 'approved', 'rejected', 'amended']));
  await listHeld(store);
  const followUp = await recordOf(s, fixture('27-'));
  await showStudy(store, followUp.accession ?? followUp.studyUid);
  await store.studies.classifiedBetween('2020-01-01', '2030-12-31');
  // what the scheduler asks of studies whose folders still have files queued (the intake runs beside it)
  await store.studies.sourceFolders([followUp.id, (await recordOf(s, syntheticStudy('amended'))).id]);
  await store.files.undecidedClaims();
  const failed = (await store.deliveries.failed())[0];
  if (failed === undefined) throw new Error('no delivery failed: the unreachable destination was delivered to');
  await retryFailedDelivery(store, failed.id, 'test');
  await store.dicom.associationStarted({ id: 'assoc-1', callingAe: 'STORESCU', calledAe: 'DEXA', address: '127.0.0.1', outcome: 'open' });
  await store.dicom.receivedBefore('1.2.3', 'ab');
  await store.dicom.record({ associationId: 'assoc-1', callingAe: 'STORESCU', address: '127.0.0.1', sopClassUid: '1.2', sopInstanceUid: '1.2.3', transferSyntaxUid: '1.2.840.10008.1.2.1', sha256: 'ab', size: 1, inboxPath: 'dicom/x.dcm', duplicate: false });
  await store.dicom.associationEnded('assoc-1', 'released', null, { received: 1, stored: 1, duplicates: 0, refused: 0, refusals: {} });
  await store.dicom.receiptsOf('assoc-1');
  await store.dicom.closeLeftOpen();
  await store.incomplete.note({ inboxPath: 'late/SR1.dcm', folder: 'late', size: 1, mtimeMs: 1, sha256: 'ab', problem: 'TRUNCATED' }, new Date(), 1000);
  await store.incomplete.besideStudy(followUp.id);
  await store.incomplete.forget('late/SR1.dcm');
  await store.viewLog.search({ patientId: 'P-held-approve', limit: 10 });
}

async function ok(response: Promise<{ statusCode: number; body: string }>, status = 200): Promise<void> {
  const { statusCode, body } = await response;
  if (statusCode !== status) throw new Error(`status ${statusCode}, not ${status}: ${body.slice(0, 500)}`);
}

/** Each statement's full scans of growing tables that the allow-list does not excuse, as `table: plan line — sql`. */
function unexcusedScans(database: string, statements: Iterable<string>): string[] {
  const db = new DatabaseSync(database, { readOnly: true });
  try {
    return [...statements].flatMap((sql) =>
      fullScans(db, sql)
        .filter((scan) => !MAY_SCAN.some((allowed) => allowed.tables.includes(scan.table) && allowed.sql.test(sql)))
        .map((scan) => `${scan.table}: ${scan.line} — ${sql}`),
    );
  } finally {
    db.close();
  }
}

describe('every lookup the store makes uses an index', () => {
  it('finds a full scan of a growing table (the check itself)', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE studies (id INTEGER PRIMARY KEY, accession TEXT, state TEXT); CREATE INDEX studies_state ON studies (state); CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    expect(fullScans(db, 'SELECT id FROM studies AS s WHERE s.accession = ?').map((scan) => scan.table)).toEqual(['studies']);
    expect(fullScans(db, 'SELECT id FROM studies ORDER BY state')).toHaveLength(1); // the whole index, in order
    expect(fullScans(db, 'SELECT id FROM studies ORDER BY state LIMIT ?')).toEqual([]); // only the first rows of the index
    expect(fullScans(db, 'SELECT id FROM studies ORDER BY state, accession LIMIT ?')).toEqual([]); // and those that tie with the last
    expect(fullScans(db, 'SELECT id FROM studies WHERE accession = ? ORDER BY state LIMIT ?')).toHaveLength(1); // as many as it takes to find them
    expect(fullScans(db, 'SELECT id FROM studies ORDER BY accession LIMIT ?')).toHaveLength(1); // every row, sorted
    expect(fullScans(db, 'SELECT id FROM studies WHERE state = ?')).toEqual([]);
    expect(fullScans(db, 'SELECT id FROM users')).toEqual([]);
    // a search by the inbox's key alone finds every row of a single instance, unless the index is partial
    db.exec("CREATE TABLE instances (id INTEGER PRIMARY KEY, study_ref INTEGER, inbox_key TEXT, moved INTEGER); CREATE INDEX instances_inbox ON instances (inbox_key); CREATE INDEX instances_unmoved ON instances (inbox_key) WHERE moved = 0");
    expect(fullScans(db, 'SELECT id FROM instances WHERE inbox_key = ?')).toHaveLength(1);
    expect(fullScans(db, 'SELECT id FROM instances WHERE inbox_key = ? AND moved = 0')).toEqual([]);
    db.close();
  });

  it('records every statement of a broad workload and finds none that scans a growing table', async () => {
    const started = Date.now();
    root = await mkdtemp(join(tmpdir(), 'dexa-plans-'));
    // one destination that takes every delivery, one that is never there (its deliveries fail for good at once)
    const deliveries = { destinations: [{ name: 'epd', folder: join(root, 'epd') }, { name: 'pacs', folder: join(root, 'unmounted') }], maxAttempts: 1, firstRetrySeconds: 0.05, maxRetrySeconds: 0.05 };
    await mkdir(join(root, 'epd'));
    const recording = recordPreparedStatements();
    try {
      station = await startTestWorkstation({}, {}, { root, deliveries });
      await intake(station);
      await review(station);
      await commands(station);
      await station.close();
      station = null;
    } finally {
      recording.stop();
    }
    const { statements } = recording;
    console.info(`query plans: ${statements.size} distinct statements, workload and check in ${Date.now() - started} ms`);
    expect(statements.size).toBeGreaterThanOrEqual(AT_LEAST_STATEMENTS);
    expect(unexcusedScans(join(root, 'data', 'dexa.db'), statements)).toEqual([]);
  }, 90_000); // about 20 s on its own, longer beside the rest of the suite
});
