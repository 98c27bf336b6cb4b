import { Command } from 'commander';
import { registerIngest } from './ingest-command.ts';

const program = new Command()
  .name('dexa')
  .description('DXA exports in, classified results and letters out')
  .showHelpAfterError();

registerIngest(program);

await program.parseAsync(process.argv);
