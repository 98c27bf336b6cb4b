import { z } from 'zod';
import { decodeRows } from './decode.ts';
import { now } from './engine.ts';
import type { Repository } from './repository.ts';

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

const DeliverySchema = z.object({
  id: z.number(),
  studyRef: z.number(),
  version: z.number(),
  destination: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  /** when the version was released: the same for every try */
  createdAt: z.string(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

const COLUMNS = ['id', 'studyRef', 'version', 'destination', 'state', 'attempts', 'nextAttemptAt', 'lastError', 'deliveredAt', 'createdAt'] as const;

/** How long a delivery taken by an instance stays its own: far longer than one attempt may take. */
export const DELIVERY_CLAIM_MS = 5 * 60_000;

/** The outbox: one row per released version and destination, written with the release. */
export class Deliveries {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /** A version went out: it is owed to every destination (once: a version is enqueued once per destination). */
  async enqueue(studyId: number, version: number, destinations: readonly string[], at: string = now()): Promise<void> {
    if (destinations.length === 0) return;
    await this.#r.db
      .insertInto('deliveries')
      .values(destinations.map((destination) => ({ studyRef: studyId, version, destination, state: 'pending', nextAttemptAt: at, createdAt: at })))
      .onConflict((oc) => oc.columns(['studyRef', 'version', 'destination']).doNothing())
      .execute();
  }

  /** Takes up to `limit` pending deliveries whose next attempt is due and that no other instance holds. */
  async claimDue(at: string, limit: number): Promise<Delivery[]> {
    const { db, kind, identity } = this.#r;
    const rows = await db
      .selectFrom('deliveries')
      .select(COLUMNS)
      .where('state', '=', 'pending')
      .where('nextAttemptAt', '<=', at)
      .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', at)]))
      .orderBy('nextAttemptAt')
      .orderBy('id')
      .limit(limit)
      .$if(kind === 'postgres', (qb) => qb.forUpdate().skipLocked())
      .execute();
    const due = decodeRows(DeliverySchema, rows, 'deliveries');
    if (due.length > 0) {
      const until = new Date(Date.parse(at) + DELIVERY_CLAIM_MS).toISOString();
      await db.updateTable('deliveries').set({ claimedBy: identity.instance, claimedUntil: until }).where('id', 'in', due.map((d) => d.id)).execute();
    }
    return due;
  }

  async succeeded(id: number, at: string): Promise<void> {
    await this.#r.db.updateTable('deliveries').set((eb) => ({ state: 'delivered', attempts: eb('attempts', '+', 1), deliveredAt: at, lastError: null, claimedBy: null, claimedUntil: null })).where('id', '=', id).execute();
  }

  /** A failed attempt: tried again at `nextAttemptAt`, or failed for good when that is null. */
  async attemptFailed(id: number, error: string, nextAttemptAt: string | null): Promise<void> {
    await this.#r.db
      .updateTable('deliveries')
      .set((eb) => ({ state: nextAttemptAt === null ? 'failed' : 'pending', attempts: eb('attempts', '+', 1), lastError: error, nextAttemptAt: nextAttemptAt ?? eb.ref('nextAttemptAt'), claimedBy: null, claimedUntil: null }))
      .where('id', '=', id)
      .execute();
  }

  /** Not an attempt: the delivery is looked at again at `nextAttemptAt`. */
  async postpone(id: number, nextAttemptAt: string): Promise<void> {
    await this.#r.db.updateTable('deliveries').set({ nextAttemptAt, claimedBy: null, claimedUntil: null }).where('id', '=', id).execute();
  }

  async byId(id: number): Promise<Delivery | null> {
    return decodeRows(DeliverySchema, await this.#r.db.selectFrom('deliveries').select(COLUMNS).where('id', '=', id).execute(), 'deliveries')[0] ?? null;
  }

  /**
   * A delivery that failed for good is due again at `at`, with its tries counted afresh (so it gets
   * the configured number again, with the same back-off); its last error stays until it succeeds.
   * Says whether it was one that had failed (nothing changes for any other).
   */
  async retryFailed(id: number, at: string = now()): Promise<boolean> {
    const result = await this.#r.db
      .updateTable('deliveries')
      .set({ state: 'pending', attempts: 0, nextAttemptAt: at, claimedBy: null, claimedUntil: null })
      .where('id', '=', id)
      .where('state', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Whether every destination has this version. */
  async allDelivered(studyId: number, version: number): Promise<boolean> {
    const open = await this.#r.db.selectFrom('deliveries').select('id').where('studyRef', '=', studyId).where('version', '=', version).where('state', '!=', 'delivered').limit(1).executeTakeFirst();
    return open === undefined;
  }

  async ofStudy(studyId: number): Promise<Delivery[]> {
    return decodeRows(DeliverySchema, await this.#r.db.selectFrom('deliveries').select(COLUMNS).where('studyRef', '=', studyId).orderBy('version').orderBy('destination').execute(), 'deliveries');
  }

  /** Deliveries that failed for good: status shows them until someone acts. */
  async failed(): Promise<(Delivery & { studyUid: string })[]> {
    const rows = await this.#r.db
      .selectFrom('deliveries as d')
      .innerJoin('studies as s', 's.id', 'd.studyRef')
      .select(['d.id', 'd.studyRef', 'd.version', 'd.destination', 'd.state', 'd.attempts', 'd.nextAttemptAt', 'd.lastError', 'd.deliveredAt', 'd.createdAt', 's.studyUid'])
      .where('d.state', '=', 'failed')
      .orderBy('d.id')
      .execute();
    return decodeRows(DeliverySchema.extend({ studyUid: z.string() }), rows, 'deliveries');
  }

  async nextAttemptAt(): Promise<string | null> {
    const row = await this.#r.db.selectFrom('deliveries').select((eb) => eb.fn.min('nextAttemptAt').as('next')).where('state', '=', 'pending').executeTakeFirst();
    return (row?.next as string | null | undefined) ?? null;
  }

  async countsByState(): Promise<Record<string, number>> {
    const rows = await this.#r.db.selectFrom('deliveries').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
  }

  async releaseClaimsOfThisInstance(): Promise<void> {
    await this.#r.db.updateTable('deliveries').set({ claimedBy: null, claimedUntil: null }).where('claimedBy', '=', this.#r.identity.instance).execute();
  }
}
