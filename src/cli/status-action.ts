import type { Command } from 'commander';
import { formatStatus, serviceStatus } from '../watch/status.ts';
import { existingFolder, withExistingStore } from './open-store.ts';
import { printJson, printLines } from './output.ts';
import type { ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

/** `dexa status`: what the store and the folders hold now. */
export async function printStatus(given: ServicePaths & { json?: boolean }, command: Command): Promise<void> {
  const options = { ...given, ...(await pathsFromStore(given, command)) };
  existingFolder(options.inbox, '--inbox');
  existingFolder(options.out, '--out');
  const status = await withExistingStore(options.db, (store) => serviceStatus(store, { inbox: options.inbox, out: options.out }));
  if (options.json) printJson([status]);
  else printLines(formatStatus(status));
}
