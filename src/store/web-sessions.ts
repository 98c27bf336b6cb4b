import { z } from 'zod';
import { decodeRow } from './decode.ts';
import type { Repository } from './repository.ts';

const SessionSchema = z.object({ tokenHash: z.string(), userRef: z.number(), csrfToken: z.string(), address: z.string(), createdAt: z.string(), seenAt: z.string(), expiresAt: z.string() });
export type WebSession = z.infer<typeof SessionSchema>;

/** Logged-in browsers. Only the SHA-256 of a session's token is kept: the store alone does not let anyone in. */
export class WebSessions {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async create(session: WebSession): Promise<void> {
    await this.#r.db.insertInto('webSessions').values(session).execute();
  }

  /** The session, when it exists and has not expired at `at`. */
  async live(tokenHash: string, at: string): Promise<WebSession | null> {
    const row = await this.#r.db.selectFrom('webSessions').selectAll().where('tokenHash', '=', tokenHash).where('expiresAt', '>', at).executeTakeFirst();
    return row === undefined ? null : decodeRow(SessionSchema, row, 'web_sessions');
  }

  /** A request in the session: it lasts `expiresAt` from now (an idle session ends). */
  async touch(tokenHash: string, seenAt: string, expiresAt: string): Promise<void> {
    await this.#r.db.updateTable('webSessions').set({ seenAt, expiresAt }).where('tokenHash', '=', tokenHash).execute();
  }

  async end(tokenHash: string): Promise<void> {
    await this.#r.db.deleteFrom('webSessions').where('tokenHash', '=', tokenHash).execute();
  }

  /** Every session of a user ends (a changed password, a removed user). */
  async endAllOf(userId: number): Promise<void> {
    await this.#r.db.deleteFrom('webSessions').where('userRef', '=', userId).execute();
  }

  async sweep(at: string): Promise<void> {
    await this.#r.db.deleteFrom('webSessions').where('expiresAt', '<=', at).execute();
  }
}
