import { Command } from 'commander';
import { commandAsked, COMMANDS, listCommands } from './command-list.ts';
import { exitWithProblem } from './problems.ts';

// A reader that stops early (`dexa review list | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const program = new Command()
  .name('dexa')
  .description('DXA exports in, classified results and letters out')
  .showHelpAfterError();

const asked = commandAsked(process.argv);
if (asked === undefined) listCommands(program);
else (await COMMANDS[asked]!.load())(program);

// Whatever reaches the top, from a command or from an event later (the service), is one line.
process.on('uncaughtException', exitWithProblem);
process.on('unhandledRejection', exitWithProblem);

await program.parseAsync(process.argv).catch(exitWithProblem);
