import type { StudyStore } from '../store/study-store.ts';

/** Failures allowed before a wait; each further failure doubles it, up to the longest. */
const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 30_000;
const LONGEST_LOCK_MS = 15 * 60_000;
/** A quiet day forgets earlier failures. */
const FORGET_MS = 24 * 3600_000;

/** The keys a login attempt counts against: the name tried and the address it came from. */
export function throttleKeys(name: string, address: string): string[] {
  return [`user:${name.toLowerCase()}`, `address:${address}`];
}

/** When the next attempt for these keys is allowed (null: now). */
export async function lockedUntil(store: StudyStore, keys: string[], at: Date): Promise<Date | null> {
  let latest: Date | null = null;
  for (const key of keys) {
    const entry = await store.loginFailures.of(key);
    if (entry?.lockedUntil && Date.parse(entry.lockedUntil) > at.getTime() && (latest === null || Date.parse(entry.lockedUntil) > latest.getTime())) latest = new Date(entry.lockedUntil);
  }
  return latest;
}

export async function recordFailure(store: StudyStore, keys: string[], at: Date): Promise<void> {
  await store.transaction(async (tx) => {
    for (const key of keys) {
      const entry = await tx.loginFailures.of(key);
      const failures = entry && at.getTime() - Date.parse(entry.lastAt) < FORGET_MS ? entry.failures + 1 : 1;
      const lockMs = failures < FREE_FAILURES ? 0 : Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_FAILURES));
      await tx.loginFailures.record(key, failures, at.toISOString(), lockMs === 0 ? null : new Date(at.getTime() + lockMs).toISOString());
    }
  });
}

/** A good login forgets the user's failures (the address's stay: one address guessing many names is still slowed). */
export async function recordSuccess(store: StudyStore, keys: string[]): Promise<void> {
  const [userKey] = keys;
  if (userKey) await store.loginFailures.clear(userKey);
}
