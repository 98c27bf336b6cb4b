import type { Command } from 'commander';
import { openDatabase } from '../store/database.ts';
import { formatStatus, serviceStatus } from '../watch/status.ts';
import { printJson, printLines } from './output.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';

export function registerStatus(program: Command): void {
  withServicePaths(program.command('status'))
    .description('counts of files, studies and letters per state, and the oldest file still waiting')
    .option('--json', 'as one JSON object')
    .action(async (options: ServicePaths & { json?: boolean }) => {
      const db = openDatabase(options.db);
      try {
        const status = await serviceStatus(db, options.inbox);
        if (options.json) printJson([status]);
        else printLines(formatStatus(status).split('\n'));
      } finally {
        db.close();
      }
    });
}
