import type { Kysely } from 'kysely';
import type { EngineKind } from './engine.ts';
import type { Tables } from './schema.ts';

/** Who is using the store: what several instances on one database tell apart. */
export interface StoreIdentity {
  /** this service instance (a name unique among the instances on one database; '' for a single one) */
  instance: string;
  /** the inbox this instance takes files from ('' for a single one) */
  inboxKey: string;
  /** the issuer recorded for a patient ID the export gives none for: this site's own ID range */
  localIssuer: string;
}

/** What every repository works on: the database or the transaction in hand, and the identity. */
export interface Repository {
  db: Kysely<Tables>;
  kind: EngineKind;
  identity: StoreIdentity;
}
