import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../core/errors.js';
import { ErrorResponse } from '../../http/schema-helpers.js';

const Health = Type.Object({ status: Type.Literal('ok') });

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Errors.databaseUnavailable()), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

// Probes come every few seconds: their successes are not worth a log line each.
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Liveness does no I/O: a slow database must not get a healthy process restarted.
  app.get('/livez', { logLevel: 'warn', schema: { summary: 'Liveness: the process answers', operationId: 'getLiveness', tags: ['health'], security: [], response: { 200: Health } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' as const };
  });

  app.get('/readyz', { logLevel: 'warn', schema: { summary: 'Readiness: the database answers', operationId: 'getReadiness', tags: ['health'], security: [], response: { 200: Health, 503: ErrorResponse } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    // An unreachable database may not refuse, only stay silent: readiness answers within 2 s.
    await withTimeout(app.database.ping(), 2000);
    return { status: 'ok' as const };
  });
};
