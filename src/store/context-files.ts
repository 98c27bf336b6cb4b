import type { Repository } from './repository.ts';

/** Clinical context sidecars that arrived in the inbox, kept by the folder and name they arrived under. */
export class ContextFiles {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  async keep(place: { folder: string; name: string }, fileId: number, content: string, at: Date = new Date()): Promise<void> {
    const receivedAt = at.toISOString();
    await this.#r.db
      .insertInto('contextFiles')
      .values({ inboxKey: this.#r.identity.inboxKey, folder: place.folder, name: place.name, fileRef: fileId, content, receivedAt })
      .onConflict((oc) => oc.columns(['inboxKey', 'folder', 'name']).doUpdateSet({ fileRef: fileId, content, receivedAt }))
      .execute();
  }

  async content(place: { folder: string; name: string }): Promise<string | null> {
    const row = await this.#r.db.selectFrom('contextFiles').select('content').where('inboxKey', '=', this.#r.identity.inboxKey).where('folder', '=', place.folder).where('name', '=', place.name).executeTakeFirst();
    return row?.content ?? null;
  }

  /** Takes back what was kept from a file (it changed after it was read); says the folder it concerned. */
  async withdraw(fileId: number): Promise<string | null> {
    const row = await this.#r.db.deleteFrom('contextFiles').where('fileRef', '=', fileId).returning('folder').executeTakeFirst();
    return row?.folder ?? null;
  }

}
