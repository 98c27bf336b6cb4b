import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import type { Role } from '../../src/store/users.ts';
import { loadPageTexts } from '../../src/web/page-texts.ts';
import { hashPassword } from '../../src/web/passwords.ts';
import type { WebContext } from '../../src/web/web-context.ts';
import { buildWebServer } from '../../src/web/web-server.ts';
import { startTestService, type ServiceExtras, type TestService } from './service.ts';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;

/** The test users: one per role (and a second radioloog, rita), all with PASSWORD. */
export const USERS: Record<Role, string> = { laborant: 'laura', radioloog: 'rob', beheerder: 'bea' };
/** How the letters a user signs name them. */
export const FULL_NAMES: Record<string, string> = { laura: 'L. Laborant', rob: 'dr. R. van Radiologie', bea: 'B. Beheer', rita: 'dr. R. Tweede' };

export interface TestWorkstation {
  service: TestService;
  app: FastifyInstance;
  ctx: WebContext;
  /** a browser-like client logged in as `name` (password login), or anonymous with null */
  client(name: string | null): Promise<WebClient>;
  close(): Promise<void>;
}

/**
 * The real service with the workstation on its store, its users added; requests go through
 * Fastify's inject. Under `root` when given (then left there when closed).
 */
export async function startTestWorkstation(web: Partial<DepartmentConfig['web']> = {}, watch: Partial<DepartmentConfig['watch']> = {}, extra: ServiceExtras & { root?: string } = {}): Promise<TestWorkstation> {
  const service = await startTestService(watch, extra.root, extra);
  passwordHash ??= hashPassword(PASSWORD);
  for (const [role, name] of [...(Object.entries(USERS) as [Role, string][]), ['radioloog', 'rita'] as [Role, string]]) await service.store.users.add(name, role, await passwordHash, FULL_NAMES[name]);
  const config: DepartmentConfig = { ...DEFAULT_CONFIG, web: { ...DEFAULT_CONFIG.web, ...web }, deliveries: extra.deliveries ?? DEFAULT_CONFIG.deliveries };
  const ctx: WebContext = {
    store: service.store,
    config,
    templates: await loadTemplates('nl'),
    layout: { inbox: service.inbox, out: service.out },
    texts: await loadPageTexts(),
    basePath: config.web.basePath,
    logger: pino({ level: 'silent' }),
    service: { startedAt: new Date(), wake: () => service.service.wake() },
    startedAt: new Date(),
  };
  const app = await buildWebServer(ctx);
  return {
    service,
    app,
    ctx,
    async client(name) {
      const client = new WebClient(app, config.web.basePath);
      if (name !== null) await client.login(name, PASSWORD);
      return client;
    },
    async close() {
      await app.close();
      await service.close();
    },
  };
}

/** Keeps cookies like a browser and fills in the CSRF token of the page last seen. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  readonly #app: FastifyInstance;
  readonly base: string;

  constructor(app: FastifyInstance, base: string) {
    this.#app = app;
    this.base = base;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.#app.inject({ method: 'GET', url: this.#url(path), headers: { ...this.#cookieHeader(), ...headers } });
    this.#keep(response);
    return response;
  }

  /** A form post; `_csrf` is the last page's token unless the form gives its own (or null: none). */
  async post(path: string, form: Record<string, string | string[]>, options: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(form)) for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    const response = await this.#app.inject({
      method: 'POST',
      url: this.#url(path),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.#cookieHeader(), ...options.headers },
      payload: body.toString(),
    });
    this.#keep(response);
    return response;
  }

  async login(name: string, password: string): Promise<LightMyRequestResponse> {
    const page = await this.get('login');
    const token = /name="loginToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const response = await this.post('login', { name, password, loginToken: token, next: this.base }, { csrf: null });
    if (response.statusCode === 303) await this.get('');
    return response;
  }

  #url(path: string): string {
    return path.startsWith('/') ? path : `${this.base}${path}`;
  }

  #cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  #keep(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (cookie.maxAge === 0 || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
  }
}
