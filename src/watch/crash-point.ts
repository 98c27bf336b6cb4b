/**
 * Named places where the kill test stops the service dead, to prove that a crash there loses
 * nothing. `DEXA_CRASH_AT=name@n` sends this process SIGKILL the n-th time `name` is reached (`@n`
 * may be left out for the first time). Without the variable every crash point is a no-op.
 */
const wanted = parseCrashAt(process.env.DEXA_CRASH_AT);
let reached = 0;

export function crashPoint(name: CrashPointName): void {
  if (wanted === null || wanted.name !== name) return;
  reached++;
  if (reached === wanted.count) process.kill(process.pid, 'SIGKILL');
}

export const CRASH_POINTS = [
  'intake:read',
  'intake:committed',
  'intake:moved',
  'quarantine:reason-written',
  'letters:temporary-written',
  'letters:recorded',
  'letters:renamed',
  'study:committed',
  'supersede:moved',
  'recovery:move-finished',
  'recovery:letter-finished',
] as const;

export type CrashPointName = (typeof CRASH_POINTS)[number];

function parseCrashAt(value: string | undefined): { name: string; count: number } | null {
  if (!value) return null;
  const [name = '', count = '1'] = value.split('@');
  const parsed = Number.parseInt(count, 10);
  return { name, count: Number.isInteger(parsed) && parsed > 0 ? parsed : 1 };
}
