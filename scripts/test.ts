/**
 * npm test: the type check, the lint and the test suites, started together (the suites spend much
 * of their time waiting on child processes, timers and the disk, which the checks fill). The
 * suites' output streams as it comes; each check's is printed when it ends. Fails when any fails.
 */
import { spawn } from 'node:child_process';

interface Run {
  name: string;
  code: number | null;
}

function run(name: string, command: string, args: string[], streamed: boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: streamed ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', (code) => {
      if (!streamed) process.stdout.write(`\n${name}: ${code === 0 ? 'passed' : `failed (exit code ${code})`}\n${Buffer.concat(output).toString()}`);
      resolve({ name, code });
    });
    child.on('error', (error) => {
      process.stdout.write(`${name}: could not start (${error.message})\n`);
      resolve({ name, code: null });
    });
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const runs = await Promise.all([
  run('npm run typecheck', npm, ['run', '-s', 'typecheck'], false),
  run('npm run lint', npm, ['run', '-s', 'lint'], false),
  run('vitest run', 'npx', ['vitest', 'run'], true),
]);
const failed = runs.filter((r) => r.code !== 0);
if (failed.length > 0) {
  process.stdout.write(`\nfailed: ${failed.map((r) => r.name).join(', ')}\n`);
  process.exitCode = 1;
}
