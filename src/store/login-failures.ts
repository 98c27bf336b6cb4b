import type { Repository } from './repository.ts';

/** Failed logins per key (a user name, an address): what slows down guessing, kept across restarts and instances. */
export class LoginFailures {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async of(key: string): Promise<{ failures: number; lastAt: string; lockedUntil: string | null } | null> {
    const row = await this.#r.db.selectFrom('loginFailures').select(['failures', 'lastAt', 'lockedUntil']).where('key', '=', key).executeTakeFirst();
    return row === undefined ? null : { failures: Number(row.failures), lastAt: row.lastAt, lockedUntil: row.lockedUntil };
  }

  async record(key: string, failures: number, lastAt: string, lockedUntil: string | null): Promise<void> {
    await this.#r.db
      .insertInto('loginFailures')
      .values({ key, failures, lastAt, lockedUntil })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, lastAt, lockedUntil }))
      .execute();
  }

  async clear(key: string): Promise<void> {
    await this.#r.db.deleteFrom('loginFailures').where('key', '=', key).execute();
  }
}
