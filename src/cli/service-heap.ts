/**
 * V8 flags the long-running service starts with. Left to itself, on a machine with gigabytes of
 * RAM, V8 lets the main thread's young generation grow to two semi-spaces of 64 MB, and a backlog
 * fills them with short-lived buffers and rows: 134 MB of a 416 MB peak on a 1,000-study backlog.
 * With 16 MB semi-spaces the peak was 380 MB at the same speed (8 MB: 366 MB, 10 % slower). The
 * 10,000-study backlog, run once with them, peaked at 523 MB (was 579) but took 1,002 s (was 791):
 * whether they cost that time at that size is not yet settled (README, Performance).
 */
export const SERVICE_HEAP_FLAGS: readonly string[] = ['--max-semi-space-size=16'];

/**
 * Starts this process again with SERVICE_HEAP_FLAGS when it runs without them: V8 reads the heap's
 * sizes once, as it starts. `execve` keeps the process's PID, so a supervisor, a pid file or a
 * signal reaches the same process. Called before anything is opened; where the platform has no
 * `execve` (Windows), the service runs on V8's defaults.
 */
export function restartWithServiceHeap(): void {
  if (typeof process.execve !== 'function' || hasServiceHeapFlags()) return;
  process.execve(process.execPath, [process.execPath, ...SERVICE_HEAP_FLAGS, ...process.execArgv, ...process.argv.slice(1)], process.env);
}

/** Whether each flag's option is given already, with this value or another (the command line or NODE_OPTIONS). */
function hasServiceHeapFlags(): boolean {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].map(optionName);
  return SERVICE_HEAP_FLAGS.every((flag) => given.includes(optionName(flag)));
}

function optionName(flag: string): string {
  return flag.split('=')[0]!;
}
