import { spawn, type ChildProcess } from 'node:child_process';
import { DEXA } from './run-cli.ts';

export interface ServiceProcess {
  child: ChildProcess;
  /** the workstation's address, such as http://127.0.0.1:40123/ */
  url: string;
  /** every log line so far, parsed */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** `dexa watch` as a department runs it, in its own process, with the workstation on a free port. */
export async function startServiceProcess(args: string[], cwd: string): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [DEXA, 'watch', '--web-port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dexa watch did not start its workstation in 60 s: ${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry['msg'] === 'review workstation listening') {
          clearTimeout(timer);
          resolve(String(entry['url']));
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dexa watch ended with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    url,
    logs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
