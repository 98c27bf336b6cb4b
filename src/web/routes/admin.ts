import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, USER_NAME, UserExistsError, type Role, type User } from '../../store/users.ts';
import { configView, usersView, viewsView } from '../admin-view.ts';
import { calendarDate } from '../format-view.ts';
import { requireCapability, sendPage, text } from '../guard.ts';
import { field } from '../http-security.ts';
import { hashPassword, passwordProblem } from '../passwords.ts';
import { logViews } from '../view-log.ts';
import type { Viewer, WebContext } from '../web-context.ts';

/** How many view-log lines the page shows at most. */
const VIEW_LIMIT = 500;
const NOTICES = ['added', 'disabled', 'enabled', 'role'] as const;

type UserRequest = FastifyRequest<{ Params: { id: string } }>;

/**
 * The beheerder's pages: users (add, disable and enable, change role; never themselves out), the
 * NEN 7513 view log, and the running configuration without its secrets. Every change to a user is
 * in the audit log with who made it, and ends that user's sessions.
 */
export function registerAdmin(app: FastifyInstance, ctx: WebContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/users', async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'manage')) return reply;
    return usersPage(ctx, request, reply, await doneNotice(ctx, request));
  });

  app.post('/admin/users', async (request, reply) => {
    const viewer = requireCapability(ctx, request, reply, 'manage');
    if (!viewer) return reply;
    const name = field(request.body, 'name').trim();
    const fullName = field(request.body, 'fullName').trim() || name;
    const role = field(request.body, 'role');
    const password = field(request.body, 'password');
    const form = { name, fullName: field(request.body, 'fullName').trim(), role };
    const problem = !USER_NAME.test(name) ? 'name' : !isRole(role) ? 'role' : fullName.length > 200 ? 'fullName' : password !== '' && passwordProblem(password) !== null ? 'password' : null;
    if (problem !== null || !isRole(role)) return usersPage(ctx, request, reply, problemNotice(ctx, request, problem ?? 'role'), 400, form);
    const passwordHash = password === '' ? null : await hashPassword(password);
    try {
      await ctx.store.transaction(async (tx) => {
        await tx.users.add(name, role, passwordHash, fullName);
        await tx.audit.add(null, 'user added', `${name} (${fullName}) as ${role}, ${passwordHash === null ? 'single sign-on only' : 'with a password'}`, viewer.user.name);
      });
    } catch (error) {
      if (error instanceof UserExistsError) return usersPage(ctx, request, reply, problemNotice(ctx, request, 'exists'), 409, form);
      throw error;
    }
    return done(ctx, reply, 'added', name);
  });

  app.post<{ Params: { id: string } }>('/admin/users/:id/active', async (request, reply) => {
    const viewer = requireCapability(ctx, request, reply, 'manage');
    if (!viewer) return reply;
    const user = await targetUser(ctx, request, reply);
    if (!user) return reply;
    const active = field(request.body, 'active') === '1';
    if (!active && user.id === viewer.user.id) return usersPage(ctx, request, reply, problemNotice(ctx, request, 'self'), 409);
    await change(ctx, viewer, user, { active }, active ? 'user enabled' : 'user disabled', `${user.name} ${active ? 'may log in again' : 'may no longer log in'}`);
    return done(ctx, reply, active ? 'enabled' : 'disabled', user.name);
  });

  app.post<{ Params: { id: string } }>('/admin/users/:id/role', async (request, reply) => {
    const viewer = requireCapability(ctx, request, reply, 'manage');
    if (!viewer) return reply;
    const user = await targetUser(ctx, request, reply);
    if (!user) return reply;
    const role = field(request.body, 'role');
    if (!isRole(role)) return usersPage(ctx, request, reply, problemNotice(ctx, request, 'role'), 400);
    if (user.id === viewer.user.id && role !== 'beheerder') return usersPage(ctx, request, reply, problemNotice(ctx, request, 'self'), 409);
    if (role === user.role) return reply.redirect(`${ctx.basePath}admin/users`, 303);
    await change(ctx, viewer, user, { role }, 'user role changed', `${user.name}: ${user.role} → ${role}`);
    return done(ctx, reply, 'role', user.name);
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/views', async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'manage')) return reply;
    const filter = { user: (request.query.user ?? '').trim().slice(0, 64), patientId: (request.query.patientId ?? '').trim().slice(0, 64), from: (request.query.from ?? '').trim() };
    const from = calendarDate(filter.from);
    const entries = await ctx.store.viewLog.search({ ...(filter.user ? { actor: filter.user } : {}), ...(filter.patientId ? { patientId: filter.patientId } : {}), ...(from ? { from } : {}), limit: VIEW_LIMIT });
    // the log names patients: looking at it is itself a view of their data
    const patients = [...new Set(entries.map((entry) => entry.patientId).filter((id) => id !== null))];
    await logViews(ctx, request, patients.map((patientId) => ({ patientId, studyRef: null })), 'view log');
    return sendPage(reply, ctx, request, 'admin-views', 'views', text(ctx, request, 'admin.views.title'), viewsView(ctx, entries, { ...filter, from: from ?? '' }, VIEW_LIMIT));
  });

  app.get('/admin/config', async (request, reply) => {
    if (!requireCapability(ctx, request, reply, 'manage')) return reply;
    return sendPage(reply, ctx, request, 'admin-config', 'config', text(ctx, request, 'admin.config.title'), configView(ctx));
  });
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

async function usersPage(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, notice: { kind: 'ok' | 'error'; text: string } | null, status = 200, form: { name?: string; fullName?: string; role?: string } = {}): Promise<FastifyReply> {
  return sendPage(reply, ctx, request, 'admin-users', 'users', text(ctx, request, 'admin.users.title'), usersView(ctx, request, await ctx.store.users.all(), form), notice, status);
}

function problemNotice(ctx: WebContext, request: FastifyRequest, problem: string): { kind: 'error'; text: string } {
  return { kind: 'error', text: `${text(ctx, request, `admin.problems.${problem}`)} ${text(ctx, request, 'admin.problems.nothingChanged')}` };
}

/** After a change: back to the list (303), which says what was done to whom. */
function done(ctx: WebContext, reply: FastifyReply, what: (typeof NOTICES)[number], name: string): FastifyReply {
  return reply.redirect(`${ctx.basePath}admin/users?done=${what}&user=${encodeURIComponent(name)}`, 303);
}

/** The notice a redirect asked for: only the known words, and only about a user who exists. */
async function doneNotice(ctx: WebContext, request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>): Promise<{ kind: 'ok'; text: string } | null> {
  const what = NOTICES.find((notice) => notice === request.query.done);
  const user = request.query.user ? await ctx.store.users.byName(request.query.user) : null;
  if (!what || !user) return null;
  return { kind: 'ok', text: what === 'role' ? `${text(ctx, request, 'admin.notices.role')} ${user.name}: ${text(ctx, request, `admin.roles.${user.role}`)}` : `${text(ctx, request, `admin.notices.${what}`)}: ${user.name}` };
}

async function targetUser(ctx: WebContext, request: UserRequest, reply: FastifyReply): Promise<User | null> {
  const user = /^\d{1,12}$/.test(request.params.id) ? await ctx.store.users.byId(Number(request.params.id)) : null;
  if (user === null) await usersPage(ctx, request, reply, problemNotice(ctx, request, 'noUser'), 404);
  return user;
}

/** Changes a user, ends their sessions and records who did it, in one transaction. */
async function change(ctx: WebContext, viewer: Viewer, user: User, update: { role?: Role; active?: boolean }, action: string, detail: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await tx.users.update(user.id, update);
    await tx.sessions.endAllOf(user.id);
    await tx.audit.add(null, action, detail, viewer.user.name);
  });
}
