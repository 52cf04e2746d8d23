import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../../core/errors.js';
import { TOKEN_SCOPES } from '../../domain/token-scopes.js';
import { ROLES } from '../../domain/vocabulary.js';
import { IdParams } from '../../http/schema-helpers.js';
import { generatePassword } from '../../modules/auth/index.js';
import { createToken, CreateToken, listTokens, revokeToken } from '../../modules/tokens/index.js';
import { createUser, CreateUser, deleteUser, listUsers, updateUser } from '../../modules/users/index.js';
import { displayTime } from '../../text/time.js';
import { confirmPage } from './confirm.js';
import { field, FormSchema, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { FlashParams, flashOwner, type ShownOnce } from './secret-flash.js';
import { userError } from './user-error.js';

interface UserValues {
  email: string;
  name: string;
  role: string;
  password: string;
}

interface TokenValues {
  tokenName: string;
  scopes: string[];
}

/** A secret shown on the page right after it was made, and never again. */
type Created = Exclude<ShownOnce, { kind: 'webhook' }>;

interface PageModel {
  user?: UserValues;
  token?: TokenValues;
  errors?: FieldErrors;
  created?: Created;
  notice?: string;
}

const EMPTY_USER: UserValues = { email: '', name: '', role: 'responder', password: '' };
const EMPTY_TOKEN: TokenValues = { tokenName: '', scopes: ['read'] };
const NOTICES: Record<string, string> = {
  created: 'The user was added.',
  role: 'The role was changed.',
  removed: 'The user was removed.',
  revoked: 'The token was revoked.',
};
const GONE = 'That secret was shown once and is not kept. If it was not copied, revoke the token and create another (or reset the user’s password).';

/** The schema's complaints in words a person acts on, by the field they belong to. */
const USER_MESSAGES: Record<string, string> = {
  email: 'Email must be an address like name@example.com.',
  name: 'Name is required, at most 200 characters.',
  password: 'Password must be 12 to 200 characters, or left empty to generate one.',
  role: 'Choose a role.',
};
const TOKEN_MESSAGES: Record<string, string> = {
  tokenName: 'Name is required, at most 100 characters.',
  scopes: 'Choose at least one scope.',
};
const worded = (errors: FieldErrors, messages: Record<string, string>) =>
  Object.fromEntries(Object.keys(errors).map((name) => [name, messages[name] ?? errors[name]!]));

/** What each scope allows, in a line (src/domain/token-scopes.ts holds the rule). */
const SCOPE_HINTS: Record<(typeof TOKEN_SCOPES)[number], string> = {
  ingest: 'alert intake only',
  write: 'what a responder may do, and read',
  read: 'every read a viewer may make',
};

const post = { schema: { hide: true, params: IdParams, body: FormSchema } };

/**
 * `/admin/users`: users and API tokens, owners only, through the same verbs as
 * `/api/admin/users` and `/api/admin/tokens`. A generated password and a new token's secret
 * are on the page that answers their creation, and on no other.
 */
export const userConsoleRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  // Owners only, on every route here, before anything is read.
  app.addHook('preHandler', async (request) => kit.require(request, 'owner'));

  async function page(request: FastifyRequest, reply: FastifyReply, model: PageModel = {}, status = 200) {
    const ctx = kit.ctx(request);
    const [users, tokens] = await Promise.all([listUsers(ctx), listTokens(ctx)]);
    const time = (iso: string | null) => (iso ? displayTime(new Date(iso), ctx.site.timeZone) : null);
    return kit.page(
      request,
      reply,
      'users',
      {
        title: 'Users and tokens',
        users: users.map((u) => ({ ...u, me: u.id === ctx.actor.id })),
        tokens: tokens.map((t) => ({ ...t, created: time(t.createdAt), lastUsed: time(t.lastUsedAt), revoked: time(t.revokedAt) })),
        roles: ROLES,
        scopes: TOKEN_SCOPES,
        scopeHints: SCOPE_HINTS,
        user: model.user ?? EMPTY_USER,
        token: model.token ?? EMPTY_TOKEN,
        errors: model.errors ?? {},
        created: model.created ?? null,
        notice: model.notice ?? NOTICES[field(request.query as FormBody, 'done')] ?? null,
      },
      status,
    );
  }

  app.get('/users', { schema: { hide: true, querystring: FormSchema } }, async (request, reply) => page(request, reply));

  /** Post/Redirect/Get: the secret waits for the page the 303 leads to, so a reload creates nothing. */
  const showOnce = (request: FastifyRequest, reply: FastifyReply, created: Created) =>
    reply.redirect(`/admin/users/created/${kit.secrets.put(flashOwner(request.actor), created)}`, 303);

  // The secret is on this page's first showing alone: the list never shows it, nor a reload.
  app.get('/users/created/:flash', { schema: { hide: true, params: FlashParams } }, async (request, reply) => {
    const shown = kit.secrets.take(flashOwner(request.actor), request.params.flash, (v) => v.kind !== 'webhook');
    if (!shown || shown.kind === 'webhook') return page(request, reply, { notice: GONE });
    return page(request, reply, { created: shown });
  });

  app.post('/users', { schema: { hide: true, body: FormSchema } }, async (request, reply) => {
    const body = request.body as FormBody;
    const values: UserValues = { email: field(body, 'email'), name: field(body, 'name'), role: field(body, 'role'), password: field(body, 'password') };
    // Left empty, a password is made here and shown once, for the owner to hand over.
    const generated = values.password === '' ? generatePassword() : null;
    const input = { email: values.email.trim(), name: values.name.trim(), role: values.role, password: generated ?? values.password };
    const errors = worded(schemaErrors(CreateUser, input), USER_MESSAGES);
    // The password is never sent back into the form.
    const kept = { ...values, password: '' };
    if (Object.keys(errors).length > 0) return page(request, reply, { user: kept, errors }, 400);
    try {
      const created = await createUser(kit.ctx(request), input as Parameters<typeof createUser>[1]);
      if (generated) return showOnce(request, reply, { kind: 'password', email: created.email, secret: generated });
      return reply.redirect('/admin/users?done=created', 303);
    } catch (error) {
      return page(request, reply, { user: kept, errors: { email: userError(error) } }, 400);
    }
  });

  app.post('/users/:id/role', post, async (request, reply) => {
    const role = field(request.body as FormBody, 'role');
    // The message goes beside that user's role select.
    const at = `role-${request.params.id}`;
    if (!(ROLES as readonly string[]).includes(role)) return page(request, reply, { errors: { [at]: 'Choose a role.' } }, 400);
    try {
      await updateUser(kit.ctx(request), request.params.id, { role: role as (typeof ROLES)[number] });
    } catch (error) {
      return page(request, reply, { errors: { [at]: userError(error) } }, (error as { statusCode?: number }).statusCode ?? 400);
    }
    // An owner who made themselves a responder or viewer may no longer open this screen.
    const stillOwner = request.params.id !== request.actor.id || role === 'owner';
    return reply.redirect(stillOwner ? '/admin/users?done=role' : '/admin', 303);
  });

  app.get('/users/:id/remove', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const user = (await listUsers(kit.ctx(request))).find((u) => u.id === request.params.id);
    if (!user) throw new Errors.notFound('User', request.params.id);
    return confirmPage(kit, request, reply, {
      title: 'Remove user',
      question: `Remove ${user.name} (${user.email})? They are signed out everywhere and cannot sign in again. The audit log keeps what they did.`,
      action: `/admin/users/${user.id}/remove`,
      button: 'Remove user',
      back: '/admin/users',
    });
  });

  app.post('/users/:id/remove', post, async (request, reply) => {
    try {
      await deleteUser(kit.ctx(request), request.params.id);
    } catch (error) {
      return page(request, reply, { errors: { form: userError(error) } }, (error as { statusCode?: number }).statusCode ?? 400);
    }
    return reply.redirect(request.params.id === request.actor.id ? '/admin' : '/admin/users?done=removed', 303);
  });

  app.post('/users/tokens', { schema: { hide: true, body: FormSchema } }, async (request, reply) => {
    const body = request.body as FormBody;
    const scopes = [body.scopes ?? []].flat().filter((s): s is string => typeof s === 'string');
    const values: TokenValues = { tokenName: field(body, 'tokenName'), scopes };
    const input = { name: values.tokenName.trim(), scopes: [...new Set(scopes)] };
    const errors = worded(schemaErrors(CreateToken, input, (p) => (p === 'name' ? 'tokenName' : p)), TOKEN_MESSAGES);
    if (Object.keys(errors).length > 0) return page(request, reply, { token: values, errors }, 400);
    const created = await createToken(kit.ctx(request), input as Parameters<typeof createToken>[1]);
    return showOnce(request, reply, { kind: 'token', name: created.name, secret: created.token });
  });

  app.get('/users/tokens/:id/revoke', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const token = (await listTokens(kit.ctx(request))).find((t) => t.id === request.params.id);
    if (!token) throw new Errors.notFound('API token', request.params.id);
    return confirmPage(kit, request, reply, {
      title: 'Revoke API token',
      question: `Revoke the token "${token.name}" (${token.prefix}…)? Anything still using it is refused from now on.`,
      action: `/admin/users/tokens/${token.id}/revoke`,
      button: 'Revoke token',
      back: '/admin/users',
    });
  });

  app.post('/users/tokens/:id/revoke', post, async (request, reply) => {
    await revokeToken(kit.ctx(request), request.params.id);
    return reply.redirect('/admin/users?done=revoked', 303);
  });
};
