/**
 * V8 flags the long-running service starts with. Left to itself, on a machine with gigabytes of
 * RAM, V8 lets the main thread's young generation grow to two semi-spaces of 64 MB, and a backlog
 * fills them with short-lived buffers and rows. Measured on the 10,000-study backlog (2 cores,
 * 3 December 2026): 64 MB (the default) 593 s, peak RSS 698 MB; 32 MB 604 s, 661 MB (flat at about
 * 615 MB against 705); 16 MB 693 s and once 1,002 s, 564 MB. Smaller semi-spaces promote more of a
 * study's short-lived objects into an old space a large inbox already fills, and its collections
 * then cost the time: 32 MB keeps the speed and saves what it can.
 */
export const SERVICE_HEAP_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

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
