import { Command } from 'commander';
import { registerIngest } from './ingest-command.ts';
import { registerQa } from './qa-command.ts';
import { registerRender } from './render-command.ts';

const program = new Command()
  .name('dexa')
  .description('DXA exports in, classified results and letters out')
  .showHelpAfterError();

registerIngest(program);
registerRender(program);
registerQa(program);

await program.parseAsync(process.argv);
