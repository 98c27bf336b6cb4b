import type { Command } from 'commander';
import { createLogger } from '../watch/logger.ts';
import { startService } from '../watch/service.ts';
import { loadRuntime } from './runtime.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';

export function registerWatch(program: Command): void {
  withServicePaths(program.command('watch'))
    .description('watch the inbox: take each export as it completes, classify its study, write or hold its letters')
    .option('--config <file>', 'department configuration (YAML); default $DEXA_CONFIG or the embedded defaults')
    .option('--poll', 'poll the inbox instead of file-system events (network shares)')
    .action(async (options: ServicePaths & { config?: string; poll?: boolean }) => {
      const runtime = await loadRuntime(options);
      if (!runtime) return;
      const logger = createLogger();
      const service = await startService({
        inbox: options.inbox,
        out: options.out,
        database: options.db,
        config: runtime.config,
        templates: runtime.templates,
        logger,
        usePolling: options.poll === true,
      });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping: finishing the file in hand');
        void service.stop().then(() => process.exit(0));
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
