import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { userProblem, USER_FILE_SYSTEM_CODES, UserError } from '../../src/cli/problems.ts';

const fsError = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error(`${code}: something`), { code, syscall: 'open', path: '/data/x', ...extra });

describe('userProblem: the one line for an error the user can put right', () => {
  it.each(USER_FILE_SYSTEM_CODES)('%s names the path, says what to do, exit code 2', (code) => {
    const problem = userProblem(fsError(code));
    expect(problem?.exitCode).toBe(2);
    expect(problem?.line).toMatch(/^\/data\/x: [^\n]+; [^\n]+$/);
  });
  it('a rename that cannot be written names where it was going', () => {
    expect(userProblem(fsError('ENOSPC', { syscall: 'rename', dest: '/out/letters/a.pdf' }))?.line).toBe('/out/letters/a.pdf: the disk is full; free some space and run again');
  });
  it('a failed write on an open file, with no path', () => {
    expect(userProblem(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write' }))?.line).toBe('output: the disk is full; free some space and run again');
  });
  it('a file-system error as the cause of another', () => {
    expect(userProblem(new Error('could not', { cause: fsError('EROFS') }))?.line).toBe('/data/x: is on a read-only file system; choose a folder that can be written');
  });
  it('a UserError keeps its exit code; anything else is not the user\'s (a bug)', () => {
    expect(userProblem(new UserError('no exports', 1))).toEqual({ line: 'no exports', exitCode: 1 });
    expect(userProblem(new TypeError('x is undefined'))).toBeNull();
    expect(userProblem(Object.assign(new Error('EBADF'), { code: 'EBADF', path: '/x' }))).toBeNull();
  });
});

describe('exitWithProblem: an unexpected error (a bug)', () => {
  const crash = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', "const { exitWithProblem } = await import('./src/cli/problems.ts'); exitWithProblem(new TypeError('boom'));"], {
      encoding: 'utf8',
      env: { ...process.env, DEXA_DEBUG: '', ...env },
    });
  it('is one line with a hint, exit code 5', () => {
    const run = crash();
    expect(run.stderr).toBe('dexa: unexpected error: boom (a bug: run again with DEXA_DEBUG=1 for where it happened, and report it)\n');
    expect(run.status).toBe(5);
  });
  it('shows where with DEXA_DEBUG=1', () => {
    expect(crash({ DEXA_DEBUG: '1' }).stderr).toMatch(/^ {4}at /m);
  });
});
