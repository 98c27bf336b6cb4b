import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DEXA = fileURLToPath(new URL('../../bin/dexa.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** run as another account (root's tests: to meet a folder it may not write) */
  uid?: number;
  gid?: number;
  /** an open file descriptor for stdout instead of a pipe (such as /dev/full) */
  stdoutFd?: number;
  /** the command to run dexa under, such as `unshare …` (gets node, dexa and the args appended) */
  wrapper?: string[];
  /** what the command reads on standard input (a password); none by default */
  input?: string;
}

/** Runs `dexa` as a user would: a separate Node process, its output captured. */
export function runDexa(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath, DEXA, ...args];
    const child = spawn(command!, prefix, {
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', options.stdoutFd ?? 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/**
 * Starts `dexa watch` with `args`, waits until it reports that it watches the inbox (however slow
 * the machine), then stops it as an operator would (SIGTERM) and waits for it to exit: the store
 * and the folders are left as the service leaves them.
 */
export function runServiceOnce(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEXA, 'watch', '--no-web', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('watching the inbox')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
