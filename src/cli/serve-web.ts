import type { Logger } from 'pino';
import type { DepartmentConfig } from '../config/config-schema.ts';
import type { Templates } from '../letters/load-templates.ts';
import type { StudyStore } from '../store/study-store.ts';
import type { Layout } from '../watch/layout.ts';
import { loadPageTexts } from '../web/page-texts.ts';
import type { ServiceProbe } from '../web/web-context.ts';
import type { RunningWeb } from '../web/web-server.ts';

/** Starts the review workstation on the store in hand (the service's own, when it runs in this process). */
export async function serveWeb(options: { store: StudyStore; config: DepartmentConfig; templates: Templates; layout: Layout; logger: Logger; service: ServiceProbe | null; port?: number }): Promise<RunningWeb> {
  const { config } = options;
  const { startWebServer } = await import('../web/web-server.ts'); // fastify: only where a workstation runs
  return startWebServer(
    { store: options.store, config, templates: options.templates, layout: options.layout, texts: await loadPageTexts(), basePath: config.web.basePath, logger: options.logger, service: options.service, startedAt: new Date() },
    options.port ?? config.web.port,
  );
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new Error('a port number (0 to 65535)');
  return port;
}
