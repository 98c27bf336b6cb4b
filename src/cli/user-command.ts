import { InvalidArgumentError, type Command } from 'commander';
import { fileModes } from '../config/file-modes.ts';
import { ROLES, UserExistsError, type Role } from '../store/users.ts';
import { hashPassword, passwordProblem } from '../web/passwords.ts';
import { ExitCode } from './exit-codes.ts';
import { withExistingStore } from './open-store.ts';
import { printLines, printProblem } from './output.ts';
import { PasswordMismatch, readPassword } from './read-password.ts';
import { loadRuntime } from './runtime.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

/** User names as the hospital's directory writes them: letters, digits and . _ - @, no spaces. */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u;

export function registerUser(program: Command): void {
  const user = program.command('user').description('the people who may use the review workstation');

  withServicePaths(user.command('add'))
    .argument('<name>', 'the user name they log in with (for single sign-on: the name the proxy sends)', parseName)
    .requiredOption('--role <role>', `${ROLES.join(', ')}`, parseRole)
    .option('--full-name <text>', "the name a letter they sign prints, such as 'dr. M. de Jong' (default the user name)")
    .option('--sso', 'logs in only through the hospital single sign-on (no password here)')
    .description('add a user; the password is asked at a prompt, or read from standard input when that is not a terminal')
    .action(async (name: string, given: ServicePaths & { role: Role; sso?: boolean; fullName?: string }, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      const runtime = await loadRuntime(options);
      if (!runtime) return;
      const passwordHash = given.sso ? null : await newPasswordHash(`password for ${name}: `);
      if (passwordHash === undefined) return;
      await withExistingStore(options.db, async (store) => {
        try {
          await store.users.add(name, given.role, passwordHash, given.fullName?.trim() || name);
          printLines([`added ${name} (${given.role})${passwordHash === null ? ', single sign-on only' : ''}`]);
        } catch (error) {
          if (!(error instanceof UserExistsError)) throw error;
          printProblem(`${error.message}; change it with 'dexa user password ${name}' or 'dexa user role ${name} ROLE'`);
          process.exitCode = ExitCode.BadInput;
        }
      }, fileModes(runtime.config));
    });

  withServicePaths(user.command('password'))
    .argument('<name>', 'the user', parseName)
    .description("set a user's password (asked at a prompt, or read from standard input); their sessions end")
    .action(async (name: string, given: ServicePaths, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      await changeUser(options.db, name, async () => {
        const passwordHash = await newPasswordHash(`new password for ${name}: `);
        return passwordHash === undefined ? null : { passwordHash };
      }, 'password changed');
    });

  withServicePaths(user.command('role'))
    .argument('<name>', 'the user', parseName)
    .argument('<role>', ROLES.join(', '), parseRole)
    .description("change a user's role; their sessions end")
    .action(async (name: string, role: Role, given: ServicePaths, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      await changeUser(options.db, name, () => Promise.resolve({ role }), `role is now ${role}`);
    });

  for (const [verb, active] of [['disable', false], ['enable', true]] as const) {
    withServicePaths(user.command(verb))
      .argument('<name>', 'the user', parseName)
      .description(active ? 'let a disabled user log in again' : 'stop a user from logging in; their sessions end')
      .action(async (name: string, given: ServicePaths, command: Command) => {
        const options = { ...given, ...(await pathsFromStore(given, command)) };
        await changeUser(options.db, name, () => Promise.resolve({ active }), active ? 'enabled' : 'disabled');
      });
  }

  withServicePaths(user.command('list'))
    .description('the users, their roles and how they log in')
    .action(async (given: ServicePaths, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      await withExistingStore(options.db, async (store) => {
        const users = await store.users.all();
        printLines(users.length === 0 ? ["no users yet: add one with 'dexa user add NAME --role radioloog'"] : users.map((u) => `${u.name.padEnd(24)} ${u.role.padEnd(10)} ${u.passwordHash === null ? 'single sign-on' : 'password'}${u.active ? '' : ', disabled'}`));
      });
    });
}

/** A new password's hash; undefined (with the problem printed) when it cannot be used. */
async function newPasswordHash(prompt: string): Promise<string | undefined> {
  let password: string;
  try {
    password = await readPassword(prompt);
  } catch (error) {
    if (!(error instanceof PasswordMismatch)) throw error;
    printProblem(error.message);
    process.exitCode = ExitCode.BadInput;
    return undefined;
  }
  const problem = passwordProblem(password);
  if (problem) {
    printProblem(problem);
    process.exitCode = ExitCode.BadInput;
    return undefined;
  }
  return hashPassword(password);
}

async function changeUser(db: string, name: string, change: () => Promise<{ role?: Role; passwordHash?: string | null; active?: boolean } | null>, done: string): Promise<void> {
  await withExistingStore(db, async (store) => {
    const user = await store.users.byName(name);
    if (user === null) {
      printProblem(`no user '${name}' (see 'dexa user list')`);
      process.exitCode = ExitCode.BadInput;
      return;
    }
    const changed = await change();
    if (changed === null) return;
    await store.transaction(async (tx) => {
      await tx.users.update(user.id, changed);
      await tx.sessions.endAllOf(user.id);
    });
    printLines([`${name}: ${done}`]);
  });
}

function parseName(value: string): string {
  if (!NAME.test(value)) throw new InvalidArgumentError('letters, digits and . _ - @ (at most 64, no spaces)');
  return value;
}

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
  return value as Role;
}
