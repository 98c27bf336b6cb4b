import { readFile } from 'node:fs/promises';
import { createServer as createTcpServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import dimse from 'dcmjs-dimse';
import type { Logger } from 'pino';
import type { FileModes } from '../config/file-modes.ts';
import type { DepartmentConfig } from '../config/config-schema.ts';
import type { StudyStore } from '../store/study-store.ts';
import { callerRules } from './association-policy.ts';
import { removeLeftovers } from './receiver-file.ts';
import { AssociationScp, type ReceiverContext } from './scp-association.ts';

import { ReceiverStartError } from './receiver-errors.ts';

// (in a module of its own, so that `dexa watch` without a receiver need not load dcmjs-dimse to know it)
export { ReceiverStartError };

export interface ReceiverOptions {
  config: DepartmentConfig['dicom'];
  /** the inbox the watcher takes files from */
  inbox: string;
  store: StudyStore;
  logger: Logger;
  /** modes of the files and folders written into the inbox */
  modes: FileModes;
  /** instead of the configuration's port (0: any free one) */
  port?: number;
}

export interface RunningReceiver {
  /** the address and port it listens on */
  host: string;
  port: number;
  /** how many associations are open now */
  readonly open: number;
  /** stops listening, lets every C-STORE being written finish, and closes the associations still open */
  stop(): Promise<void>;
}

/**
 * The DICOM receiver: a C-ECHO and C-STORE SCP (dcmjs-dimse) on the configured address and port,
 * plain TCP or TLS. Every object it answers Success for is in the inbox (fsynced) and recorded
 * in the store; the watcher takes it from there as any other file.
 */
export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const { config, logger, store } = options;
  dimse.log.setLevel('silent'); // its own console logging: what matters is logged here, as JSON
  const closed = await store.dicom.closeLeftOpen();
  if (closed > 0) logger.warn({ associations: closed }, 'DICOM associations left open by the last stop recorded as aborted');
  const leftovers = await removeLeftovers(options.inbox, 0);
  if (leftovers.length > 0) logger.warn({ files: leftovers }, 'half-received DICOM objects left by the last stop removed (their senders were not answered Success)');
  if (config.allowedCallers.length === 0) logger.warn('DICOM receiver: no allowed callers configured (dicom.allowedCallers); every association will be refused');

  let open = 0;
  const inFlight = new Set<Promise<unknown>>();
  const associations = new Set<{ scp: AssociationScp; socket: Socket }>();
  const context: ReceiverContext = {
    aeTitle: config.aeTitle,
    callers: callerRules(config.allowedCallers),
    inbox: options.inbox,
    modes: options.modes,
    maxObjectBytes: Math.round(config.maxObjectMegabytes * 1024 * 1024),
    store,
    logger,
    admit: () => (open < config.maxAssociations ? (open++, true) : false),
    leave: () => void (open = Math.max(0, open - 1)),
    track: <T>(work: Promise<T>) => {
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work)).catch(() => undefined);
      return work;
    },
  };
  const scpOptions = { connectTimeout: config.idleTimeoutSeconds * 1000, associationTimeout: config.associationTimeoutSeconds * 1000, pduTimeout: config.idleTimeoutSeconds * 1000 };
  const onConnection = (socket: Socket) => {
    // a response is several small writes: without this, Nagle's algorithm and the sender's delayed ACK cost 40 ms per object
    socket.setNoDelay(true);
    const scp = new AssociationScp(socket, scpOptions, context);
    // a socket accepted by a server never emits 'connect': dcmjs-dimse's Server marks it connected itself (and so its association timeout counts)
    Object.assign(scp, { connected: true, connectedTime: Date.now() });
    const entry = { scp, socket };
    associations.add(entry);
    scp.on('networkError', (error: Error) => {
      logger.warn({ err: error, association: scp.associationId ?? undefined, address: socket.remoteAddress }, 'DICOM connection error');
      socket.destroy();
    });
    socket.on('close', () => associations.delete(entry));
  };
  const tls = config.tls;
  const read = (file: string) => readFile(file).catch((error: NodeJS.ErrnoException) => Promise.reject(new ReceiverStartError(`the DICOM receiver's TLS file ${file} cannot be read (${error.code ?? error.message})`)));
  const server: NetServer = tls
    ? createTlsServer({ key: await read(tls.key), cert: await read(tls.cert), ...(tls.ca ? { ca: await read(tls.ca) } : {}), requestCert: tls.requireClientCertificate, rejectUnauthorized: tls.requireClientCertificate }, onConnection)
    : createTcpServer(onConnection);
  const port = options.port ?? config.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new ReceiverStartError(`the DICOM receiver cannot listen on ${config.host}:${port} (${error.code ?? error.message})`)));
    server.listen(port, config.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'DICOM receiver error'));
  const address = server.address();
  const listening = typeof address === 'object' && address !== null ? address.port : port;
  logger.info({ aeTitle: config.aeTitle, host: config.host, port: listening, tls: tls !== null, maxAssociations: config.maxAssociations, allowedCallers: context.callers.map((caller) => caller.aeTitle) }, 'DICOM receiver listening');
  return {
    host: config.host,
    port: listening,
    get open() {
      return open;
    },
    async stop() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      const gone = [...associations].map(({ socket }) => new Promise((resolve) => (socket.destroyed ? resolve(null) : socket.once('close', resolve))));
      for (const { socket } of associations) socket.destroy();
      await Promise.all(gone);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await closing;
      logger.info('DICOM receiver stopped');
    },
  };
}
