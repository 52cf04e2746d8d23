import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Errors } from './core/errors.js';
import { containsNul, withDepthLimit } from './http/json-body.js';
import idempotency from './plugins/idempotency.js';
import { componentSourceRoutes } from './modules/component-sources/index.js';
import { componentRoutes } from './modules/components/index.js';
import { incidentRoutes } from './modules/incidents/index.js';
import { openFromTemplate, templateRoutes } from './modules/templates/index.js';
import { tokenRoutes } from './modules/tokens/index.js';
import { maintenanceRoutes } from './modules/maintenance/index.js';
import { subscriberAdminRoutes } from './modules/subscribers/index.js';
import { chatChannelRoutes } from './modules/chat-channels/index.js';
import { loginRoutes, userRoutes } from './modules/users/index.js';
import { postmortemRoutes, type PostmortemRoutesOptions } from './modules/postmortems/index.js';
import { reportRoutes } from './modules/reports/index.js';
import { auditRoutes } from './modules/audit/index.js';
import { settingsRoutes } from './modules/settings/index.js';

export interface AdminApiOptions {
  loginRateLimit: number;
  loginRateWindowSeconds: number;
  /** Deepest nesting of arrays and objects in a JSON body. */
  maxJsonDepth: number;
  /** Called after every successful write, before its response leaves: public pages must show it. */
  onWrite: () => void;
  postmortems: PostmortemRoutesOptions;
  /** A component was linked to another status page: poll it soon. */
  onSourceLinked: () => void;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `/api/admin`. Authentication is decided by encapsulation: every route registered inside the
 * inner context passes the token hook; login alone sits outside it.
 */
export const adminApi: FastifyPluginAsyncTypebox<AdminApiOptions> = async (app, options) => {
  // The API takes JSON only; any other body is a 415, not a guess.
  app.removeContentTypeParser('text/plain');
  // `curl -X POST -H 'content-type: application/json' …/acknowledge` sends no body at all: that
  // is "no body", not invalid JSON. Anything else goes through Fastify's own safe parser, behind
  // the nesting limit.
  const defaultParser = app.getDefaultJsonParser('error', 'error');
  const parseJson = withDepthLimit((request, body, done) => defaultParser(request, body, done), options.maxJsonDepth);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, done);
  });
  // PostgreSQL cannot store a NUL character in text: refuse it as input instead of failing later.
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.body)) {
      throw new Errors.invalid('Text must not contain the NUL character (\\u0000)');
    }
  });

  await app.register(loginRoutes, { loginRateLimit: options.loginRateLimit, loginRateWindowSeconds: options.loginRateWindowSeconds });

  await app.register(async (authed) => {
    authed.addHook('onRequest', authed.authenticate);
    await authed.register(idempotency);
    authed.addHook('onSend', async (request, reply, payload) => {
      const changesPublicPages = request.routeOptions.config.publicChange !== false;
      if (WRITES.has(request.method) && reply.statusCode < 300 && changesPublicPages) options.onWrite();
      return payload;
    });
    await authed.register(userRoutes);
    await authed.register(componentRoutes);
    await authed.register(componentSourceRoutes, { onLinked: options.onSourceLinked });
    await authed.register(incidentRoutes, { openFromTemplate });
    await authed.register(tokenRoutes);
    await authed.register(templateRoutes);
    await authed.register(postmortemRoutes, options.postmortems);
    await authed.register(reportRoutes);
    await authed.register(maintenanceRoutes);
    await authed.register(subscriberAdminRoutes);
    await authed.register(chatChannelRoutes);
    await authed.register(auditRoutes);
    await authed.register(settingsRoutes);
  });
};
