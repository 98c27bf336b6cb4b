import { Command } from 'commander';
import { exitWithProblem } from './problems.ts';

type Register = (program: Command) => void;

/**
 * Each command's code is loaded only when it is the one asked for (all of them for help or an
 * unknown command): `dexa status` need not load the PDF, DICOM and web libraries to start.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  ingest: async () => (await import('./ingest-command.ts')).registerIngest,
  render: async () => (await import('./render-command.ts')).registerRender,
  qa: async () => (await import('./qa-command.ts')).registerQa,
  watch: async () => (await import('./watch-command.ts')).registerWatch,
  status: async () => (await import('./status-command.ts')).registerStatus,
  review: async () => (await import('./review-command.ts')).registerReview,
  web: async () => (await import('./web-command.ts')).registerWeb,
  receive: async () => (await import('./receive-command.ts')).registerReceive,
  user: async () => (await import('./user-command.ts')).registerUser,
  export: async () => (await import('./export-command.ts')).registerExport,
  deliveries: async () => (await import('./deliveries-command.ts')).registerDeliveries,
};

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

const asked = process.argv[2];
const wanted = asked !== undefined && Object.hasOwn(COMMANDS, asked) ? [asked] : Object.keys(COMMANDS);
for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) register(program);

// Whatever reaches the top, from a command or from an event later (the service), is one line.
process.on('uncaughtException', exitWithProblem);
process.on('unhandledRejection', exitWithProblem);

await program.parseAsync(process.argv).catch(exitWithProblem);
