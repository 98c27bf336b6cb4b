import type { Command } from 'commander';
import { createLogger } from '../watch/logger.ts';
import { startService, type RunningService } from '../watch/service.ts';
import { StoreInUseError } from '../store/store-lock.ts';
import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { ExitCode } from './exit-codes.ts';
import { storeProblem } from './open-store.ts';
import { printProblem } from './output.ts';
import { UserError } from './problems.ts';
import { loadRuntime } from './runtime.ts';
import { configPath } from './service-setup.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';

export function registerWatch(program: Command): void {
  withServicePaths(program.command('watch'))
    .description('watch the inbox: take each export as it completes, classify its study, write or hold its letters')
    .option('--config <file>', 'department configuration (YAML); default $DEXA_CONFIG, else ./dexa.config.yaml when there, else the embedded defaults')
    .option('--poll', 'poll the inbox instead of file-system events (network shares)')
    .action(async (options: ServicePaths & { config?: string; poll?: boolean }) => {
      const overlap = overlappingFolders(options);
      if (overlap) {
        printProblem(overlap);
        process.exitCode = ExitCode.Usage;
        return;
      }
      if (isFolder(options.db)) throw new UserError(`${options.db}: is a folder, not a store; give --db the store file (such as data/dexa.db)`);
      const configFile = configPath(options.config);
      const runtime = await loadRuntime({ ...options, config: configFile });
      if (!runtime) return;
      const logger = createLogger();
      // Listening from the start: a stop asked for while the service starts comes once it has started.
      let stopping: string | null = null;
      let service: RunningService | null = null;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = signal;
        logger.info({ signal }, 'stopping: finishing the file in hand');
        if (service) void service.stop().then(() => process.exit(0));
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      service = await startService({
        inbox: options.inbox,
        out: options.out,
        database: options.db,
        config: runtime.config,
        templates: runtime.templates,
        logger,
        usePolling: options.poll === true,
      }).catch((error: unknown) => {
        // a path that cannot be made or written, a store that is not one: one line, exit 2 (problems.ts)
        if (!(error instanceof StoreInUseError)) throw storeProblem(options.db, error);
        process.stderr.write(`dexa: ${error.message}\n`);
        process.exitCode = ExitCode.StoreInUse;
        return null;
      });
      if (!service) return process.exit(); // the signal listeners would keep it waiting otherwise
      // review, status and the other commands take folders and configuration from here
      await service.store.setup.record({ configFile: configFile === null ? null : resolve(configFile), inbox: resolve(options.inbox), out: resolve(options.out) });
      if (stopping) void service.stop().then(() => process.exit(0));
    });
}

/** The service would take its own output (or its store) as new input, without end. */
export function overlappingFolders(paths: ServicePaths): string | null {
  const inbox = resolve(paths.inbox);
  const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);
  if (inside(resolve(paths.out), inbox) || inside(inbox, resolve(paths.out))) return `--out (${paths.out}) and --inbox (${paths.inbox}) must not contain one another`;
  if (inside(resolve(paths.db), inbox)) return `--db (${paths.db}) must not be inside --inbox (${paths.inbox})`;
  return null;
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}
