import { lstat, readlink } from 'node:fs/promises';
import { reasonText, type IntakeDeps } from './file-intake.ts';
import { sha256Of } from './file-hash.ts';
import { quoteInput } from '../model/quote-input.ts';
import { moveOutOfInbox } from './inbox-entries.ts';
import { destinationFor, freeName, inboxPlace, intoOut } from './layout.ts';
import { writeFileAtomic } from './move-file.ts';

/**
 * A symbolic link in the inbox (to a file or a folder, inside the inbox or out of it) is never
 * followed: its target is not opened, read or moved. The link is recorded and quarantined with its
 * reason; what it pointed to is written down, and the link itself leaves the inbox.
 */
export async function takeLink(deps: IntakeDeps, path: string): Promise<'quarantined' | null> {
  const { store, layout, logger } = deps;
  const at = deps.now?.() ?? new Date();
  const entry = await lstat(path).catch(() => null);
  if (!entry?.isSymbolicLink()) return null;
  const target = await readlink(path);
  const { inboxPath } = inboxPlace(layout.inbox, path);
  const sha256 = sha256Of(Buffer.from(target));
  const resumed = await store.files.unfinishedAt(inboxPath, sha256);
  const reason = `a symbolic link (to ${quoteInput(target)}): links in the inbox are not followed; the link was removed, what it points to was left alone`;
  const destination = resumed?.destination ?? (await freeName(destinationFor(layout, inboxPath, 'quarantined', at)));
  await writeFileAtomic(`${destination}.reason.txt`, reasonText(inboxPath, reason), intoOut(layout));
  const fileId =
    resumed?.id ??
    (await store.transaction(async (tx) => {
      const id = await tx.files.recordReceived({ inboxPath, size: entry.size, mtimeMs: Math.floor(entry.mtimeMs), sha256, kind: 'other' });
      await tx.files.recordOutcome(id, 'quarantined', destination, { reason });
      return id;
    }));
  await moveOutOfInbox(layout, path, destination);
  await store.transaction((tx) => tx.files.recordMoved(fileId));
  logger.warn({ file: inboxPath, reason }, 'symbolic link quarantined');
  return 'quarantined';
}
