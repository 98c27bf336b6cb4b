import { z } from 'zod';
import { decodeRow } from './decode.ts';
import type { Repository } from './repository.ts';

/** What `dexa watch` last ran with: absolute paths, the configuration file null for the embedded defaults. */
const ServiceSetupSchema = z.object({ instance: z.string(), configFile: z.string().nullable(), inbox: z.string(), out: z.string(), recordedAt: z.string() });
export type ServiceSetup = z.infer<typeof ServiceSetupSchema>;

export class ServiceSetups {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async record(setup: Omit<ServiceSetup, 'recordedAt' | 'instance'>): Promise<void> {
    const row = { ...setup, instance: this.#r.identity.instance, recordedAt: new Date().toISOString() };
    await this.#r.db
      .insertInto('serviceSetup')
      .values(row)
      .onConflict((oc) => oc.column('instance').doUpdateSet({ configFile: row.configFile, inbox: row.inbox, out: row.out, recordedAt: row.recordedAt }))
      .execute();
  }

  /** The setup this instance recorded, else the one recorded last; null when no service has run on this store yet. */
  async current(): Promise<ServiceSetup | null> {
    const row =
      (await this.#select().where('instance', '=', this.#r.identity.instance).executeTakeFirst()) ??
      (await this.#select().orderBy('recordedAt', 'desc').limit(1).executeTakeFirst());
    return row === undefined ? null : decodeRow(ServiceSetupSchema, row, 'service_setup');
  }

  #select() {
    return this.#r.db.selectFrom('serviceSetup').select(['instance', 'configFile', 'inbox', 'out', 'recordedAt']);
  }
}
