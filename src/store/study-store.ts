import type { Kysely } from 'kysely';
import type { FileModes } from '../config/file-modes.ts';
import { AuditLog } from './audit-log.ts';
import { ContextEntries } from './context-entries.ts';
import { ContextFiles } from './context-files.ts';
import { Deliveries } from './deliveries.ts';
import { DicomReceipts } from './dicom-receipts.ts';
import { openEngine, type Engine, type EngineKind } from './engine.ts';
import { FileRecords } from './file-records.ts';
import { IncompleteFiles } from './incomplete-files.ts';
import { LetterRecords } from './letter-records.ts';
import { LoginFailures } from './login-failures.ts';
import type { Repository, StoreIdentity } from './repository.ts';
import type { Tables } from './schema.ts';
import { ServiceSetups } from './service-setup.ts';
import { StudyRecords } from './study-records.ts';
import { StudyHistory } from './study-history.ts';
import { Users } from './users.ts';
import { WorklistQueries } from './worklist-queries.ts';
import { ViewLog } from './view-log.ts';
import { WebSessions } from './web-sessions.ts';

export type { StoreIdentity } from './repository.ts';

/** The identity of a store used by one process on its own: the embedded default. */
export const SINGLE_INSTANCE: StoreIdentity = { instance: '', inboxKey: '', localIssuer: '' };

/**
 * The one way into the store: every read and write of every other folder goes through its
 * repositories, by concept. `transaction` gives a store whose repositories work inside one
 * transaction: all of its changes land, or none.
 */
export class StudyStore {
  readonly files: FileRecords;
  readonly studies: StudyRecords;
  readonly letters: LetterRecords;
  readonly audit: AuditLog;
  readonly incomplete: IncompleteFiles;
  readonly context: ContextFiles;
  readonly setup: ServiceSetups;
  readonly deliveries: Deliveries;
  readonly dicom: DicomReceipts;
  readonly contextEntries: ContextEntries;
  readonly users: Users;
  readonly sessions: WebSessions;
  readonly loginFailures: LoginFailures;
  readonly viewLog: ViewLog;
  readonly worklist: WorklistQueries;
  readonly history: StudyHistory;
  readonly #engine: Engine;
  readonly #db: Kysely<Tables>;
  readonly #inTransaction: boolean;

  private constructor(engine: Engine, db: Kysely<Tables>, identity: StoreIdentity, inTransaction: boolean) {
    this.#engine = engine;
    this.#db = db;
    this.#inTransaction = inTransaction;
    const repository: Repository = { db, kind: engine.kind, identity };
    this.identity = identity;
    this.files = new FileRecords(repository);
    this.studies = new StudyRecords(repository);
    this.letters = new LetterRecords(repository);
    this.audit = new AuditLog(repository);
    this.incomplete = new IncompleteFiles(repository);
    this.context = new ContextFiles(repository);
    this.setup = new ServiceSetups(repository);
    this.deliveries = new Deliveries(repository);
    this.dicom = new DicomReceipts(repository);
    this.contextEntries = new ContextEntries(repository);
    this.users = new Users(repository);
    this.sessions = new WebSessions(repository);
    this.loginFailures = new LoginFailures(repository);
    this.viewLog = new ViewLog(repository);
    this.worklist = new WorklistQueries(repository);
    this.history = new StudyHistory(repository);
  }

  readonly identity: StoreIdentity;

  /** Opens the store at a file (SQLite, created when missing) or a `postgres://` URL, migrated to the latest schema. */
  static async open(location: string, options: { modes?: FileModes; identity?: StoreIdentity } = {}): Promise<StudyStore> {
    const engine = await openEngine(location, options.modes);
    return new StudyStore(engine, engine.db, options.identity ?? SINGLE_INSTANCE, false);
  }

  get kind(): EngineKind {
    return this.#engine.kind;
  }

  /** Whether several instances may use this store at once (PostgreSQL): then files are claimed before they are decided on. */
  get shared(): boolean {
    return this.#engine.kind === 'postgres';
  }

  /** The store's file, or its URL without the password. */
  get location(): string {
    return this.#engine.location;
  }

  /** Runs `work` in one transaction (SQLite: taking the write lock at once); inside one already, in that one. */
  async transaction<T>(work: (store: StudyStore) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return work(this);
    return this.#db.transaction().execute((tx) => work(new StudyStore(this.#engine, tx, this.identity, true)));
  }

  /** The same store as another instance or inbox sees it. */
  as(identity: StoreIdentity): StudyStore {
    return new StudyStore(this.#engine, this.#db, identity, this.#inTransaction);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
    this.#engine.release();
  }
}
