import type { Generated } from 'kysely';

/**
 * The tables as the query builder sees them, in camelCase (the database's snake_case names are
 * mapped by Kysely's CamelCasePlugin). What a row's JSON column holds is decoded where it is read.
 * Flags are integers 0/1 on both engines, times ISO 8601 text.
 */
export interface Tables {
  files: FilesTable;
  fileEvents: FileEventsTable;
  patients: PatientsTable;
  studies: StudiesTable;
  instances: InstancesTable;
  instanceExtractions: InstanceExtractionsTable;
  measurements: MeasurementsTable;
  classifications: ClassificationsTable;
  letters: LettersTable;
  audit: AuditTable;
  contextFiles: ContextFilesTable;
  incompleteFiles: IncompleteFilesTable;
  serviceSetup: ServiceSetupTable;
  deliveries: DeliveriesTable;
  dicomAssociations: DicomAssociationsTable;
  dicomReceipts: DicomReceiptsTable;
  letterNames: LetterNamesTable;
  users: UsersTable;
  webSessions: WebSessionsTable;
  loginFailures: LoginFailuresTable;
  viewLog: ViewLogTable;
  contextEntries: ContextEntriesTable;
  schemaVersion: SchemaVersionTable;
}

export interface FilesTable {
  id: Generated<number>;
  /** the inbox a file came from: files of two inboxes may share a path */
  inboxKey: string;
  inboxPath: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  kind: string;
  outcome: string | null;
  destination: string | null;
  moved: Generated<number>;
  changedAfterRead: Generated<number>;
  reason: string | null;
  sopInstanceUid: string | null;
  /** the service instance that took it: only that one finishes it after a stop */
  instance: string;
  receivedAt: string;
  updatedAt: string;
}

export interface FileEventsTable {
  id: Generated<number>;
  fileRef: number;
  at: string;
  event: string;
  detail: string | null;
}

export interface PatientsTable {
  id: Generated<number>;
  patientId: string;
  issuer: string;
}

export interface StudiesTable {
  id: Generated<number>;
  studyUid: string;
  patientRef: number | null;
  studyDate: string | null;
  accession: string | null;
  state: string;
  dueAt: string | null;
  fingerprint: string | null;
  version: Generated<number>;
  /** counts every change of its inputs: an assembly from older inputs leaves the study due */
  revision: Generated<number>;
  /** the last version whose letters went out (released or approved): a later release amends it */
  releasedVersion: number | null;
  claimedBy: string | null;
  claimedUntil: string | null;
  updatedAt: string;
}

export interface InstancesTable {
  id: Generated<number>;
  sopInstanceUid: string;
  studyRef: number;
  fileRef: number;
  inboxKey: string;
  sourceFolder: string;
  sourceName: string;
  receivedAt: string;
}

/** What was read from an instance (JSON), apart from the instance row the service looks up. */
export interface InstanceExtractionsTable {
  instanceRef: number;
  extraction: string;
}

export interface MeasurementsTable {
  id: Generated<number>;
  studyRef: number;
  version: number;
  region: string;
  side: string | null;
  bmd: number | null;
  tScore: number | null;
  zScore: number | null;
}

export interface ClassificationsTable {
  id: Generated<number>;
  studyRef: number;
  version: number;
  category: string | null;
  releasable: number;
  result: string;
  createdAt: string;
}

export interface LettersTable {
  id: Generated<number>;
  studyRef: number;
  version: number;
  kind: string;
  path: string;
  state: string;
  createdAt: string;
  inPlace: Generated<number>;
  temporaryPath: string | null;
  sha256: string | null;
  madeWith: string | null;
  instance: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  studyRef: number | null;
  action: string;
  actor: string | null;
  detail: string;
}

export interface ContextFilesTable {
  id: Generated<number>;
  inboxKey: string;
  folder: string;
  name: string;
  fileRef: number;
  content: string;
  receivedAt: string;
}

export interface IncompleteFilesTable {
  inboxKey: string;
  inboxPath: string;
  folder: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  problem: string;
  unchangedSince: string;
  tries: number;
  quarantineAt: string;
}

export interface ServiceSetupTable {
  instance: string;
  configFile: string | null;
  inbox: string;
  out: string;
  recordedAt: string;
}

export interface DeliveriesTable {
  id: Generated<number>;
  studyRef: number;
  version: number;
  destination: string;
  state: string;
  attempts: Generated<number>;
  nextAttemptAt: string;
  lastError: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A letter file name, once given to a study, is that study's in every folder of out/, whichever instance chose it. */
export interface LetterNamesTable {
  name: string;
  studyRef: number;
  reservedAt: string;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  /** as a signed letter names them: `dr. M. de Jong` */
  fullName: string;
  role: string;
  /** null: the user logs in only through the hospital's single sign-on (the trusted proxy header) */
  passwordHash: string | null;
  active: Generated<number>;
  createdAt: string;
  updatedAt: string;
}

/** A browser's login: the cookie's token is kept only as its SHA-256. */
export interface WebSessionsTable {
  tokenHash: string;
  userRef: number;
  csrfToken: string;
  address: string;
  createdAt: string;
  seenAt: string;
  expiresAt: string;
}

export interface LoginFailuresTable {
  key: string;
  failures: number;
  lastAt: string;
  lockedUntil: string | null;
}

/** Who saw which patient's data, when, from where, and what (NEN 7513). */
export interface ViewLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  role: string;
  address: string;
  patientId: string | null;
  studyRef: number | null;
  what: string;
}

/** Clinical context entered on the review page, every entry kept; the latest counts. */
export interface ContextEntriesTable {
  id: Generated<number>;
  studyRef: number;
  content: string;
  enteredBy: string;
  enteredAt: string;
  reason: string;
}

export interface SchemaVersionTable {
  version: number;
  description: string;
  appliedAt: string;
}

/** One association the DICOM receiver took part in (or refused), with what came over it. */
export interface DicomAssociationsTable {
  id: string;
  instance: Generated<string>;
  callingAe: string;
  calledAe: string;
  address: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string;
  reason: string | null;
  received: Generated<number>;
  stored: Generated<number>;
  duplicates: Generated<number>;
  refused: Generated<number>;
  /** why objects were refused, as JSON: { reason: count } */
  refusals: string | null;
}

/** One object the DICOM receiver answered Success for: written into the inbox, or a duplicate of one that was. */
export interface DicomReceiptsTable {
  id: Generated<number>;
  associationId: string;
  callingAe: string;
  address: string;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** of the data set as received (the file meta header left out) */
  sha256: string;
  size: number;
  /** relative to the inbox; null for a duplicate, which is not written again */
  inboxPath: string | null;
  duplicate: Generated<number>;
  receivedAt: string;
}
