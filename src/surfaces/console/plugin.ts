import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../../core/errors.js';
import { systemContext } from '../../modules/context.js';
import type { PostmortemNotifier } from '../../modules/postmortems/index.js';
import { startSession } from '../../modules/sessions/index.js';
import { authenticate, logout, logoutEverywhere } from '../../modules/users/index.js';
import { loadAssets } from '../web/assets.js';
import { auditConsoleRoutes } from './audit.routes.js';
import { boardPage, boardRoutes } from './board.routes.js';
import { componentScreenRoutes } from './components.routes.js';
import { declareRoutes } from './declare.routes.js';
import { field, FormSchema, type FormBody } from './forms.js';
import { incidentRoutes } from './incident.routes.js';
import { postmortemRoutes } from './postmortem.routes.js';
import { reportsRoutes } from './reports.routes.js';
import { consoleKit, type ConsoleKit } from './kit.js';
import { maintenanceScreenRoutes } from './maintenance.routes.js';
import { templateScreenRoutes } from './templates.routes.js';
import { settingsConsoleRoutes } from './settings.routes.js';
import { subscriberConsoleRoutes } from './subscribers.routes.js';
import { userConsoleRoutes } from './users.routes.js';
import { webhookConsoleRoutes } from './webhooks.routes.js';
import { chatChannelConsoleRoutes } from './chat-channels.routes.js';

export interface ConsoleOptions {
  publicDir: string;
  /** `https://…`: the cookies are then `Secure`. */
  publicUrl: string;
  loginRateLimit: number;
  loginRateWindowSeconds: number;
  /** Called after a write the public pages show, as the admin API does after its writes. */
  onWrite: () => void;
  /** Announces a published postmortem: the same notifier the admin API is given. */
  postmortemNotifier: PostmortemNotifier;
  /** A component was linked to another status page: poll it soon, as after the API's link. */
  onSourceLinked: () => void;
}

/** The session cookie: the same JWT the API hands out at login, naming its own session row. */
export const SESSION_COOKIE = 'hg_session';
const CSRF_COOKIE = 'hg_csrf';
/** Both cookies are sent to the console alone, never to the public pages or the API. */
const COOKIE_PATH = '/admin';
const hidden = { hide: true };

/**
 * The communications lead's console, under `/admin`: server-rendered pages whose forms call the
 * same verbs as the JSON API. A signed-in user carries an HTTP-only session cookie; every form
 * post carries a CSRF token checked before anything runs. Nothing here is cached (the
 * private-answers plugin covers `/admin`), nor goes through the public render cache.
 */
export const consoleRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, options) => {
  const secure = options.publicUrl.startsWith('https://');
  const cookieOptions = { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax' as const, secure };
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: cookieOptions,
    // Forms send `_csrf`; console.js's fetches send the same field.
    getToken: (request) => field((request.body ?? {}) as FormBody, '_csrf') || undefined,
  });

  const assets = loadAssets(options.publicDir, app.now());
  const url = (name: string) => assets.get(name)?.versionedUrl ?? `/${name}`;
  const kit: ConsoleKit = consoleKit(app, {
    onWrite: options.onWrite,
    assets: { css: url('style.css'), consoleCss: url('console.css'), script: url('console.js'), icon: url('favicon.svg') },
  });

  // Who is signed in, if anyone: a bad or ended session is the same as none.
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    try {
      request.actor = await app.actorForSessionToken(token);
    } catch {
      // Signed out elsewhere, expired, or forged: the sign-in page follows.
    }
  });
  // Every form post is checked before its handler: a missing or wrong token is a 403, and nothing is written.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST') return done();
    app.csrfProtection(request, reply, done);
  });

  const signInPage = (request: FastifyRequest, reply: FastifyReply, model: { email?: string; error?: string } = {}, status = 200) =>
    kit.page(request, reply, 'sign-in', { title: 'Sign in', email: model.email ?? '', error: model.error ?? null }, status);

  app.post(
    '/sign-in',
    { schema: { ...hidden, body: FormSchema }, config: { rateLimit: { max: options.loginRateLimit, timeWindow: options.loginRateWindowSeconds * 1000 } } },
    async (request, reply) => {
      const body = request.body as FormBody;
      const email = field(body, 'email').trim();
      const password = field(body, 'password');
      // The API's limits on the two fields; past them, the answer is the same as a wrong password.
      const user = email && password && email.length <= 254 && password.length <= 200 ? await authenticate(systemContext(app), email, password) : null;
      if (!user) return signInPage(request, reply, { email, error: 'Wrong email or password.' }, 401);
      const { token, expiresAt } = await startSession(systemContext(app), user, app.signSessionToken);
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires: expiresAt });
      return reply.redirect('/admin', 303);
    },
  );

  const signOut = (everywhere: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.actor) await (everywhere ? logoutEverywhere : logout)(kit.ctx(request));
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/admin', 303);
  };
  app.post('/sign-out', { schema: { ...hidden, body: FormSchema } }, signOut(false));
  app.post('/sign-out-everywhere', { schema: { ...hidden, body: FormSchema } }, signOut(true));

  // Signed out, `/admin` is the sign-in page; every other screen needs a session.
  const board = boardPage(app, kit);
  app.get('/', { schema: hidden }, async (request, reply) => (request.actor ? board(request, reply) : signInPage(request, reply)));

  await app.register(async (screens) => {
    screens.addHook('onRequest', async (request, reply) => {
      if (request.actor) return;
      if (request.method === 'GET') return reply.redirect('/admin', 303);
      throw new Errors.unauthorized('Sign in first');
    });
    await screens.register(boardRoutes, { kit });
    await screens.register(declareRoutes, { kit });
    await screens.register(incidentRoutes, { kit });
    await screens.register(componentScreenRoutes, { kit, onSourceLinked: options.onSourceLinked });
    await screens.register(maintenanceScreenRoutes, { kit });
    await screens.register(templateScreenRoutes, { kit });
    await screens.register(postmortemRoutes, { kit, notifier: options.postmortemNotifier });
    await screens.register(reportsRoutes, { kit });
    await screens.register(subscriberConsoleRoutes, { kit });
    await screens.register(webhookConsoleRoutes, { kit });
    await screens.register(chatChannelConsoleRoutes, { kit });
    await screens.register(userConsoleRoutes, { kit });
    await screens.register(auditConsoleRoutes, { kit });
    await screens.register(settingsConsoleRoutes, { kit });
  });
};
