import type { Command } from 'commander';
import { mkdir, realpath } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { isPostgresUrl } from '../store/postgres-engine.ts';
import { SINGLE_INSTANCE, type StoreIdentity } from '../store/study-store.ts';
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
import { serveWeb } from './serve-web.ts';
import { portOption } from './web-command.ts';
import type { RunningWeb } from '../web/web-server.ts';
import { fileModes } from '../config/file-modes.ts';
import { ReceiverStartError } from '../network/receiver-errors.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { restartWithServiceHeap } from './service-heap.ts';

export function registerWatch(program: Command): void {
  withServicePaths(program.command('watch'))
    .description('watch the inbox: take each export as it completes, classify its study, write or hold its letters')
    .option('--config <file>', 'department configuration (YAML); default $DEXA_CONFIG, else ./dexa.config.yaml when there, else the embedded defaults')
    .option('--poll', 'poll the inbox instead of file-system events (network shares)')
    .option('--web-port <port>', "the review workstation's port (default the configuration's web.port, 8484)", portOption)
    .option('--no-web', 'do not serve the review workstation')
    .option('--dicom-port <port>', "start the DICOM receiver on this port (default: the configuration's dicom.port, when dicom.enabled)", portOption)
    .option('--instance <name>', "this instance's name among several on one PostgreSQL store (default the configuration's store.instance, else the host name)")
    .action(async (given: ServicePaths & { config?: string; poll?: boolean; instance?: string; webPort?: number; dicomPort?: number; web: boolean }, command: Command) => {
      restartWithServiceHeap(); // before anything is opened: the store's lock, the inbox, the logs
      const configFile = configPath(given.config);
      const runtime = await loadRuntime({ ...given, config: configFile });
      if (!runtime) return;
      // --db given wins; else the configuration's PostgreSQL URL; else the embedded default
      const options = { ...given, db: command.getOptionValueSource('db') === 'cli' ? given.db : (runtime.config.store.url ?? given.db) };
      const overlap = overlappingFolders(options);
      if (overlap) {
        printProblem(overlap);
        process.exitCode = ExitCode.Usage;
        return;
      }
      if (!isPostgresUrl(options.db) && isFolder(options.db)) throw new UserError(`${options.db}: is a folder, not a store; give --db the store file (such as data/dexa.db)`);
      const logger = createLogger();
      // Listening from the start: a stop asked for while the service starts comes once it has started.
      let stopping: string | null = null;
      let service: RunningService | null = null;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = signal;
        logger.info({ signal }, 'stopping: finishing the file in hand');
        if (service) void stopAll().then(() => process.exit(0));
      };
      let web: RunningWeb | null = null;
      const stopAll = async () => {
        await web?.close().catch(() => undefined);
        await service?.stop();
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
        identity: await storeIdentity(options, runtime.config),
        ...(given.dicomPort === undefined ? {} : { dicomPort: given.dicomPort }),
      }).catch((error: unknown) => {
        if (error instanceof ReceiverStartError) throw new UserError(error.message);
        // a path that cannot be made or written, a store that is not one: one line, exit 2 (problems.ts)
        if (!(error instanceof StoreInUseError)) throw storeProblem(options.db, error);
        process.stderr.write(`dexa: ${error.message}\n`);
        process.exitCode = ExitCode.StoreInUse;
        return null;
      });
      if (!service) return process.exit(); // the signal listeners would keep it waiting otherwise
      // review, status and the other commands take folders and configuration from here
      await service.store.setup.record({ configFile: configFile === null ? null : resolve(configFile), inbox: resolve(options.inbox), out: resolve(options.out) });
      if (given.web && runtime.config.web.enabled && !stopping) {
        const running = service;
        // the workstation shares the service's store object: one connection, one writer
        web = await serveWeb({ store: running.store, config: runtime.config, templates: runtime.templates, layout: { inbox: options.inbox, out: options.out, modes: fileModes(runtime.config) }, logger, service: { startedAt: new Date(), wake: () => running.wake() }, port: given.webPort }).catch((error: unknown) => {
          // a taken port must not stop the service from taking the scanner's files
          logger.error({ err: error, port: given.webPort ?? runtime.config.web.port }, 'the review workstation could not start; the service goes on without it');
          return null;
        });
      }
      if (stopping) void stopAll().then(() => process.exit(0));
    });
}

/**
 * Who this process is on its store. Alone on a SQLite store it needs no name; on PostgreSQL each
 * instance has one (its claims and unfinished work are its own) and its inbox is known by its
 * real path, so instances sharing one inbox see one file as one.
 */
async function storeIdentity(options: ServicePaths & { instance?: string }, config: DepartmentConfig): Promise<StoreIdentity> {
  const localIssuer = config.store.localIssuer;
  if (!isPostgresUrl(options.db)) return { ...SINGLE_INSTANCE, localIssuer };
  await mkdir(options.inbox, { recursive: true });
  return { instance: options.instance ?? (config.store.instance || hostname()), inboxKey: await realpath(options.inbox), localIssuer };
}

/** The service would take its own output (or its store) as new input, without end. */
export function overlappingFolders(paths: ServicePaths): string | null {
  const inbox = resolve(paths.inbox);
  const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);
  if (inside(resolve(paths.out), inbox) || inside(inbox, resolve(paths.out))) return `--out (${paths.out}) and --inbox (${paths.inbox}) must not contain one another`;
  if (!isPostgresUrl(paths.db) && inside(resolve(paths.db), inbox)) return `--db (${paths.db}) must not be inside --inbox (${paths.inbox})`;
  return null;
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}
