import { createHash } from 'node:crypto';

// The UIDs this service derives, apart from the writers (and dcmjs): a reader needs
// INSTANCE_CREATOR_UID to know its own objects, and need not load the writing library for it.

/** The implementation this service names in what it writes. */
export const IMPLEMENTATION = { classUid: derivedUid('dexa-report/implementation'), versionName: 'DEXA_REPORT' } as const;

/**
 * Instance Creator UID (0008,0014) of everything this service sends: a PACS keeps it, so an
 * object of ours that comes back (a PACS that routes the whole study here) can be told from the
 * scanner's and left out of the study it reports on.
 */
export const INSTANCE_CREATOR_UID = IMPLEMENTATION.classUid;

/**
 * A UID under the UUID-derived root 2.25 (PS3.5 B.2), from a name: the same name, the same UID.
 * 120 bits of its SHA-256, so the UID stays well inside 64 characters.
 */
export function derivedUid(name: string): string {
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 30);
  return `2.25.${BigInt(`0x${digest}`).toString(10)}`;
}
