import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { DepartmentConfig, Language } from '../config/config-schema.ts';
import type { Templates } from '../letters/load-templates.ts';
import type { Role, User } from '../store/users.ts';
import type { StudyStore } from '../store/study-store.ts';
import type { Layout } from '../watch/layout.ts';
import type { PageTexts } from './page-texts.ts';

/** What the service in the same process tells the workstation; absent when `dexa web` runs alone. */
export interface ServiceProbe {
  startedAt: Date;
  /** a study was made due by the page (new context): assemble it now rather than at the next poll */
  wake(): void;
}

/** Everything a page needs: the one store of the process, the department's configuration and templates, the folders. */
export interface WebContext {
  store: StudyStore;
  config: DepartmentConfig;
  templates: Templates;
  layout: Layout;
  texts: Record<Language, PageTexts>;
  basePath: string;
  logger: Logger;
  service: ServiceProbe | null;
  /** when this web server started */
  startedAt: Date;
}

/** Who is asking: the user, their session's CSRF token, the address they ask from. */
export interface Viewer {
  user: User;
  csrf: string;
  address: string;
  /** how the user came in: a local password or the hospital's single sign-on */
  via: 'password' | 'proxy';
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
    language: Language;
  }
}

export const CAPABILITIES = ['see', 'enterContext', 'signOff', 'manage'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * Every role sees everything and may enter context; only a radioloog signs (approves, rejects);
 * only a beheerder manages users and reads the configuration and the view log. A beheerder is
 * not a clinician: managing the system never lets anyone sign a letter.
 */
const GRANTS: Record<Role, readonly Capability[]> = {
  laborant: ['see', 'enterContext'],
  radioloog: ['see', 'enterContext', 'signOff'],
  beheerder: ['see', 'enterContext', 'manage'],
};

export function may(role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
