import type { Command } from 'commander';
import { formatStatus, serviceStatus } from '../watch/status.ts';
import { existingFolder, withExistingStore } from './open-store.ts';
import { printJson, printLines } from './output.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

export function registerStatus(program: Command): void {
  withServicePaths(program.command('status'))
    .description('counts of files, studies and letters per state, the files still waiting, and any file in out/ the store cannot account for')
    .option('--json', 'as one JSON object')
    .action(async (given: ServicePaths & { json?: boolean }, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      existingFolder(options.inbox, '--inbox');
      existingFolder(options.out, '--out');
      const status = await withExistingStore(options.db, (store) => serviceStatus(store, { inbox: options.inbox, out: options.out }));
      if (options.json) printJson([status]);
      else printLines(formatStatus(status));
    });
}
