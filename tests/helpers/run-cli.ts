import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DEXA = fileURLToPath(new URL('../../bin/dexa.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dexa` as a user would: a separate Node process, its output captured. */
export function runDexa(args: string[], options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEXA, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
