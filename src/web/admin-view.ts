import type { FastifyRequest } from 'fastify';
import { stringify as toYaml } from 'yaml';
import { ROLES, type User } from '../store/users.ts';
import type { ViewEntry } from '../store/view-log.ts';
import { formatTime } from './format-view.ts';
import type { WebContext } from './web-context.ts';

/** The users page: every user with the forms to change them; the viewer's own row cannot disable or demote them. */
export function usersView(ctx: WebContext, request: FastifyRequest, users: User[], form: { name?: string; fullName?: string; role?: string } = {}): Record<string, unknown> {
  const roles = adminWords(ctx, request).roles ?? {};
  const self = request.viewer?.user.id;
  return {
    users: users.map((user) => ({
      id: user.id,
      name: user.name,
      fullName: user.fullName,
      role: user.role,
      roleWords: roles[user.role] ?? user.role,
      active: user.active,
      sso: user.passwordHash === null,
      self: user.id === self,
      roles: ROLES.map((role) => ({ role, words: roles[role] ?? role, selected: role === user.role })),
      activeUrl: `${ctx.basePath}admin/users/${user.id}/active`,
      roleUrl: `${ctx.basePath}admin/users/${user.id}/role`,
    })),
    form: { name: form.name ?? '', fullName: form.fullName ?? '', roles: ROLES.map((role) => ({ role, words: roles[role] ?? role, selected: role === (form.role ?? 'laborant') })) },
  };
}

/** The view log page: the entries with the filter they were found with. */
export function viewsView(ctx: WebContext, entries: ViewEntry[], filter: { user: string; patientId: string; from: string }, limit: number): Record<string, unknown> {
  return {
    filter: { ...filter, active: filter.user !== '' || filter.patientId !== '' || filter.from !== '' },
    entries: entries.map((entry) => ({ ...entry, at: formatTime(entry.at), studyUrl: entry.studyRef === null ? null : `${ctx.basePath}studies/${entry.studyRef}` })),
    empty: entries.length === 0,
    limited: entries.length >= limit,
  };
}

/** The running configuration as YAML, every secret left out. */
export function configView(ctx: WebContext): Record<string, unknown> {
  return { yaml: toYaml(redacted(ctx.config), { lineWidth: 0 }), store: `${ctx.store.kind}: ${ctx.store.location}` };
}

/** Keys whose values are secrets wherever they are in the configuration. */
const SECRET_KEY = /pass(word)?|secret|token|credential|api[-_]?key|private/i;

/** A copy with passwords and secrets replaced: secret keys' values, and the password in any URL (`scheme://user:password@host`). */
export function redacted(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key !== '' && SECRET_KEY.test(key) && value !== '') return '***';
    return value.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
  }
  if (Array.isArray(value)) return value.map((item) => redacted(item, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([inner, item]) => [inner, redacted(item, inner)]));
  return value;
}

function adminWords(ctx: WebContext, request: FastifyRequest): { roles?: Record<string, string> } {
  return (ctx.texts[request.language].admin ?? {}) as { roles?: Record<string, string> };
}
