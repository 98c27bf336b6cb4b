import type { Command } from 'commander';
import { withServicePaths, type ServicePaths } from './service-paths.ts';

export function registerStatus(program: Command): void {
  withServicePaths(program.command('status'))
    .description('counts of files, studies and letters per state, the files still waiting, and any file in out/ the store cannot account for')
    .option('--json', 'as one JSON object')
    // the store and its libraries are loaded when the command runs, not for its help
    .action(async (given: ServicePaths & { json?: boolean }, command: Command) => (await import('./status-action.ts')).printStatus(given, command));
}
