import { sql } from 'kysely';
import { z } from 'zod';
import { decodeRows, flag } from './decode.ts';
import { now } from './engine.ts';
import type { Repository } from './repository.ts';

export const ASSOCIATION_OUTCOMES = ['open', 'released', 'aborted', 'rejected'] as const;
export type AssociationOutcome = (typeof ASSOCIATION_OUTCOMES)[number];

/** What one association brought: objects received, written into the inbox, duplicates answered Success, and refused (with why). */
export interface AssociationCounts {
  received: number;
  stored: number;
  duplicates: number;
  refused: number;
  /** reason → how many objects were refused for it */
  refusals: Record<string, number>;
}

const AssociationSchema = z.object({
  id: z.string(),
  callingAe: z.string(),
  calledAe: z.string(),
  address: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: z.enum(ASSOCIATION_OUTCOMES),
  reason: z.string().nullable(),
  received: z.number(),
  stored: z.number(),
  duplicates: z.number(),
  refused: z.number(),
  refusals: z
    .string()
    .nullable()
    .transform((text) => (text === null ? {} : (JSON.parse(text) as Record<string, number>))),
});
export type DicomAssociation = z.infer<typeof AssociationSchema>;

const ReceiptSchema = z.object({
  associationId: z.string(),
  callingAe: z.string(),
  address: z.string(),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  transferSyntaxUid: z.string(),
  sha256: z.string(),
  size: z.number(),
  inboxPath: z.string().nullable(),
  duplicate: flag,
  receivedAt: z.string(),
});
export type DicomReceipt = z.infer<typeof ReceiptSchema>;

export interface NewReceipt {
  associationId: string;
  callingAe: string;
  address: string;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  sha256: string;
  size: number;
  inboxPath: string | null;
  duplicate: boolean;
}

/** The DICOM receiver's record: its associations (accepted or refused) and every object it answered Success for. */
export class DicomReceipts {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async associationStarted(association: { id: string; callingAe: string; calledAe: string; address: string; outcome: 'open' | 'rejected'; reason?: string | null }, at: string = now()): Promise<void> {
    await this.#r.db
      .insertInto('dicomAssociations')
      .values({
        id: association.id,
        instance: this.#r.identity.instance,
        callingAe: association.callingAe,
        calledAe: association.calledAe,
        address: association.address,
        startedAt: at,
        endedAt: association.outcome === 'rejected' ? at : null,
        outcome: association.outcome,
        reason: association.reason ?? null,
      })
      .execute();
  }

  async associationEnded(id: string, outcome: 'released' | 'aborted', reason: string | null, counts: AssociationCounts, at: string = now()): Promise<void> {
    await this.#r.db
      .updateTable('dicomAssociations')
      .set({ endedAt: at, outcome, reason, received: counts.received, stored: counts.stored, duplicates: counts.duplicates, refused: counts.refused, refusals: Object.keys(counts.refusals).length === 0 ? null : JSON.stringify(counts.refusals) })
      .where('id', '=', id)
      .execute();
  }

  /** Associations this instance left open when it stopped without closing them (a kill): aborted, counts as far as its receipts tell. */
  async closeLeftOpen(at: string = now()): Promise<number> {
    const { db, identity } = this.#r;
    // a literal, not a parameter: only then does it match the condition of the partial index dicom_associations_open
    const open = await db.selectFrom('dicomAssociations').select('id').where('instance', '=', identity.instance).where('outcome', '=', sql.lit('open')).execute();
    for (const { id } of open) {
      const counts = await db
        .selectFrom('dicomReceipts')
        .select((eb) => [eb.fn.countAll<number>().as('received'), eb.fn.sum<number>('duplicate').as('duplicates')])
        .where('associationId', '=', id)
        .executeTakeFirst();
      const received = Number(counts?.received ?? 0);
      const duplicates = Number(counts?.duplicates ?? 0);
      await db
        .updateTable('dicomAssociations')
        .set({ endedAt: at, outcome: 'aborted', reason: 'the service stopped during the association', received, stored: received - duplicates, duplicates })
        .where('id', '=', id)
        .execute();
    }
    return open.length;
  }

  /** Whether this SOP instance was received before, and whether with exactly these bytes. */
  async receivedBefore(sopInstanceUid: string, sha256: string): Promise<{ instance: boolean; sameBytes: boolean }> {
    const rows = await this.#r.db.selectFrom('dicomReceipts').select('sha256').distinct().where('sopInstanceUid', '=', sopInstanceUid).execute();
    return { instance: rows.length > 0, sameBytes: rows.some((row) => row.sha256 === sha256) };
  }

  async record(receipt: NewReceipt, at: string = now()): Promise<void> {
    await this.#r.db
      .insertInto('dicomReceipts')
      .values({ ...receipt, duplicate: receipt.duplicate ? 1 : 0, receivedAt: at })
      .execute();
  }

  /** The latest associations, newest first. */
  async recentAssociations(limit: number): Promise<DicomAssociation[]> {
    const rows = await this.#r.db.selectFrom('dicomAssociations').select(['id', 'callingAe', 'calledAe', 'address', 'startedAt', 'endedAt', 'outcome', 'reason', 'received', 'stored', 'duplicates', 'refused', 'refusals']).orderBy('startedAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return decodeRows(AssociationSchema, rows, 'dicom_associations');
  }

  async receiptsOf(associationId: string): Promise<DicomReceipt[]> {
    const rows = await this.#r.db
      .selectFrom('dicomReceipts')
      .select(['associationId', 'callingAe', 'address', 'sopClassUid', 'sopInstanceUid', 'transferSyntaxUid', 'sha256', 'size', 'inboxPath', 'duplicate', 'receivedAt'])
      .where('associationId', '=', associationId)
      .orderBy('id')
      .execute();
    return decodeRows(ReceiptSchema, rows, 'dicom_receipts');
  }
}
