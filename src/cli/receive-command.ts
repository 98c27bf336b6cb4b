import type { Command } from 'commander';
import { mkdir, realpath } from 'node:fs/promises';
import { fileModes } from '../config/file-modes.ts';
import { ReceiverStartError, startReceiver } from '../network/receiver-server.ts';
import { createLogger } from '../watch/logger.ts';
import { openExistingStore } from './open-store.ts';
import { UserError } from './problems.ts';
import { loadRuntime } from './runtime.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';
import { portOption } from './web-command.ts';

export function registerReceive(program: Command): void {
  withServicePaths(program.command('receive'))
    .description("run the DICOM receiver alone, into the service's inbox and store (dexa watch runs it too when dicom.enabled)")
    .option('--dicom-port <port>', "the port (default the configuration's dicom.port, 11112)", portOption)
    .action(async (given: ServicePaths & { dicomPort?: number; config?: string }, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      const runtime = await loadRuntime(options);
      if (!runtime) return;
      const modes = fileModes(runtime.config);
      await mkdir(options.inbox, { recursive: true });
      const inbox = await realpath(options.inbox);
      const store = await openExistingStore(options.db, modes);
      const logger = createLogger();
      const receiver = await startReceiver({ config: runtime.config.dicom, inbox, store, logger, modes, ...(given.dicomPort === undefined ? {} : { port: given.dicomPort }) }).catch(async (error: unknown) => {
        await store.close();
        throw error instanceof ReceiverStartError ? new UserError(error.message) : error;
      });
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void receiver
          .stop()
          .then(() => store.close())
          .then(() => process.exit(0));
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
