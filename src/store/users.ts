import { z } from 'zod';
import { decodeRow, decodeRows, flag } from './decode.ts';
import { now } from './engine.ts';
import type { Repository } from './repository.ts';

/** What each role may do on the review workstation: a laborant enters context, a radioloog also signs, a beheerder also manages. */
export const ROLES = ['laborant', 'radioloog', 'beheerder'] as const;
export type Role = (typeof ROLES)[number];

/** User names as the hospital's directory writes them: letters, digits and . _ - @, no spaces. */
export const USER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u;

const UserSchema = z.object({ id: z.number(), name: z.string(), fullName: z.string(), role: z.enum(ROLES), passwordHash: z.string().nullable(), active: flag });
export type User = z.infer<typeof UserSchema>;

const COLUMNS = ['id', 'name', 'fullName', 'role', 'passwordHash', 'active'] as const;

export class UserExistsError extends Error {
  override readonly name = 'UserExistsError';
}

/** The people who may use the review workstation. */
export class Users {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  /**
   * Adds a user; `passwordHash` null for one who logs in only through the hospital's single
   * sign-on; `fullName` as a letter they sign names them (default: the user name).
   */
  async add(name: string, role: Role, passwordHash: string | null, fullName: string = name): Promise<User> {
    if (await this.byName(name)) throw new UserExistsError(`a user '${name}' exists already`);
    const at = now();
    await this.#r.db.insertInto('users').values({ name, fullName, role, passwordHash, createdAt: at, updatedAt: at }).execute();
    const user = await this.byName(name);
    if (!user) throw new Error(`user ${name} was stored but cannot be read back`);
    return user;
  }

  async byName(name: string): Promise<User | null> {
    const row = await this.#r.db.selectFrom('users').select(COLUMNS).where('name', '=', name).executeTakeFirst();
    return row === undefined ? null : decodeRow(UserSchema, row, 'users');
  }

  async byId(id: number): Promise<User | null> {
    const row = await this.#r.db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : decodeRow(UserSchema, row, 'users');
  }

  async all(): Promise<User[]> {
    return decodeRows(UserSchema, await this.#r.db.selectFrom('users').select(COLUMNS).orderBy('name').execute(), 'users');
  }

  async update(id: number, change: { role?: Role; passwordHash?: string | null; active?: boolean; fullName?: string }): Promise<void> {
    await this.#r.db
      .updateTable('users')
      .set({ ...(change.role ? { role: change.role } : {}), ...(change.fullName ? { fullName: change.fullName } : {}), ...(change.passwordHash !== undefined ? { passwordHash: change.passwordHash } : {}), ...(change.active !== undefined ? { active: change.active ? 1 : 0 } : {}), updatedAt: now() })
      .where('id', '=', id)
      .execute();
  }
}
