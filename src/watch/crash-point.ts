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
  // intake (file-intake.ts)
  'intake:read', // read and hashed, nothing recorded yet
  'intake:committed', // outcome and destination committed, not yet moved
  'intake:moved', // moved, not yet recorded as moved
  'intake:incomplete', // read as incomplete and noted, left in the inbox
  'quarantine:reason-written', // reason file written, the quarantine not yet committed
  // moves (move-file.ts)
  'move:renamed', // renamed into place, the folder not yet synced
  'move:copied', // across file systems: the copy is in place, the source not yet removed
  // letters (assemble-study.ts, letter-files.ts)
  'study:rendered', // letters rendered in memory, nothing written
  'letters:temporary-written', // one letter written under its temporary name, not recorded
  'supersede:moved', // one previous letter moved to superseded/, not recorded
  'study:committing', // inside the study's transaction, before its commit
  'letters:recorded', // the version and its letters committed, none under its final name
  'letters:renamed', // one letter under its final name, not yet marked in place
  'study:committed', // one study finished, letters in place
  // review (review-actions.ts)
  'review:recorded', // approval committed, the released letters not yet under their final names
  // recovery at start-up (file-intake.ts, letter-recovery.ts)
  'recovery:move-finished', // one interrupted move finished
  'recovery:letter-finished', // one study's recorded letters put in place
  'recovery:stray-removed', // one unfinished temporary file removed
] as const;

export type CrashPointName = (typeof CRASH_POINTS)[number];

function parseCrashAt(value: string | undefined): { name: string; count: number } | null {
  if (!value) return null;
  const [name = '', count = '1'] = value.split('@');
  const parsed = Number.parseInt(count, 10);
  return { name, count: Number.isInteger(parsed) && parsed > 0 ? parsed : 1 };
}
