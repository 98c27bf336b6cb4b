import { InvalidArgumentError, type Command } from 'commander';
import { fileModes } from '../config/file-modes.ts';
import { createLogger } from '../watch/logger.ts';
import { existingFolder, openExistingStore } from './open-store.ts';
import { loadRuntime } from './runtime.ts';
import { parsePort, serveWeb } from './serve-web.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

export function registerWeb(program: Command): void {
  withServicePaths(program.command('web'))
    .description("serve the review workstation alone, on the service's store (dexa watch serves it too)")
    .option('--web-port <port>', "the port (default the configuration's web.port, 8484)", portOption)
    .action(async (given: ServicePaths & { webPort?: number; config?: string }, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      const runtime = await loadRuntime(options);
      if (!runtime) return;
      existingFolder(options.out, '--out');
      const modes = fileModes(runtime.config);
      const store = await openExistingStore(options.db, modes);
      const logger = createLogger();
      const web = await serveWeb({ store, config: runtime.config, templates: runtime.templates, layout: { inbox: options.inbox, out: options.out, modes }, logger, service: null, port: given.webPort });
      const stop = () => void web.close().then(() => store.close()).then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}

export function portOption(value: string): number {
  try {
    return parsePort(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
