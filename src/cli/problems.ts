import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode } from './exit-codes.ts';
import { printProblem } from './output.ts';

/** A problem the user can put right (a path, a missing store, no exports): printed as one line, never with a stack trace. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.BadInput) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** What each file-system error means for the path it names, and what to do about it. */
const FILE_SYSTEM_PROBLEMS: Record<string, (error: NodeJS.ErrnoException) => string> = {
  ENOENT: () => 'no such file or folder; check the path',
  EACCES: () => 'permission denied; give the account that runs dexa access, or choose another path',
  EPERM: () => 'not permitted; give the account that runs dexa access, or choose another path',
  EEXIST: (error) =>
    error.syscall === 'mkdir' ? 'is a file where a folder is needed; move the file away or choose another folder' : 'already exists; move it away or choose another path',
  ENOTDIR: () => 'part of this path is a file, not a folder; choose a path made of folders',
  EISDIR: () => 'is a folder where a file is needed; give the path of a file',
  ENOSPC: () => 'the disk is full; free some space and run again',
  EDQUOT: () => 'the disk quota is used up; free some space and run again',
  EROFS: () => 'is on a read-only file system; choose a folder that can be written',
  ENAMETOOLONG: () => 'the path is too long; choose a shorter one',
  ELOOP: () => 'too many symbolic links in the path; give the real path',
};

/** The file-system error codes that are the user's to put right, each printed as one line naming the path. */
export const USER_FILE_SYSTEM_CODES = Object.keys(FILE_SYSTEM_PROBLEMS);

/**
 * The one line (without `dexa: `) and exit code for an error the user can put right: a
 * file-system error naming its path, or a UserError. Null for anything else, which is a bug.
 */
export function userProblem(error: unknown): { line: string; exitCode: number } | null {
  if (error instanceof UserError) return { line: error.message, exitCode: error.exitCode };
  const found = fileSystemError(error);
  if (found === null) return null;
  const fsError = realMkdirError(found);
  const what = FILE_SYSTEM_PROBLEMS[fsError.code!]!(fsError);
  // a rename or copy names both ends; what could not be written is at the destination
  const dest = (fsError as { dest?: string }).dest;
  const path = dest !== undefined && fsError.code !== 'ENOENT' ? dest : (fsError.path ?? (fsError.syscall === 'write' ? 'output' : undefined));
  const where = path === undefined ? '' : `${path}: `;
  return { line: `${where}${what}`, exitCode: ExitCode.BadInput };
}

/** The file-system error in `error` or its causes, when it is one of the user's. */
function fileSystemError(error: unknown): NodeJS.ErrnoException | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code in FILE_SYSTEM_PROBLEMS) return cause as NodeJS.ErrnoException;
  }
  return null;
}

/**
 * Node's recursive mkdir reports ENOENT when the real trouble is the folder it would be made in
 * (a read-only file system, no permission); asking that folder gives the real reason.
 */
function realMkdirError(error: NodeJS.ErrnoException): NodeJS.ErrnoException {
  if (error.code !== 'ENOENT' || error.syscall !== 'mkdir' || error.path === undefined) return error;
  let parent = dirname(error.path);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
    return error;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && code in FILE_SYSTEM_PROBLEMS ? Object.assign(new Error(error.message), { code, syscall: 'mkdir', path: error.path }) : error;
  }
}

/** Gives a file-system error that lacks one (a failed write on an open file) the path it was about. */
export function atPath(path: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).path === undefined) {
      (error as NodeJS.ErrnoException).path = path;
    }
    throw error;
  };
}

/** Errors from node:sqlite carry an SQLite result code. */
export function isSqliteError(error: unknown): error is Error & { errcode: number; errstr?: string } {
  return error instanceof Error && typeof (error as { errcode?: unknown }).errcode === 'number';
}

/**
 * The one place an error that reached the top of `dexa` is printed and the process ended: one
 * line and the documented exit code for what the user can put right; for anything else (a bug)
 * one line and a hint, the stack trace only with DEXA_DEBUG=1.
 */
export function exitWithProblem(error: unknown): never {
  const problem = userProblem(error);
  try {
    if (problem) printProblem(problem.line);
    else {
      const message = error instanceof Error ? error.message : String(error);
      printProblem(`unexpected error: ${message.split('\n')[0]} (a bug: run again with DEXA_DEBUG=1 for where it happened, and report it)`);
      if (process.env['DEXA_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    }
  } catch {
    // stderr itself is gone: nothing left to tell
  }
  process.exit(problem ? problem.exitCode : ExitCode.Internal);
}

/** Nothing that could be an export among the paths given: a mistake worth one line, not a silent success. */
export function requireExports(result: { studies: readonly unknown[]; failures: readonly unknown[] }, paths: readonly string[]): void {
  if (result.studies.length === 0 && result.failures.length === 0) {
    throw new UserError(`no DXA exports found in ${paths.join(', ')}; give the export files or their folders (.json, .md, .txt and hidden files in folders are not read)`);
  }
}
