import { Command } from 'commander';
import { registerIngest } from './ingest-command.ts';
import { exitWithProblem } from './problems.ts';
import { registerQa } from './qa-command.ts';
import { registerRender } from './render-command.ts';
import { registerReview } from './review-command.ts';
import { registerStatus } from './status-command.ts';
import { registerUser } from './user-command.ts';
import { registerWatch } from './watch-command.ts';
import { registerWeb } from './web-command.ts';

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

registerIngest(program);
registerRender(program);
registerQa(program);
registerWatch(program);
registerStatus(program);
registerReview(program);
registerWeb(program);
registerUser(program);

// Whatever reaches the top, from a command or from an event later (the service), is one line.
process.on('uncaughtException', exitWithProblem);
process.on('unhandledRejection', exitWithProblem);

await program.parseAsync(process.argv).catch(exitWithProblem);
