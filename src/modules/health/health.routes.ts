import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../../http/schema-helpers.js';

const Health = Type.Object({ status: Type.Literal('ok') });

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Liveness does no I/O: a slow database must not get a healthy process restarted.
  app.get('/livez', { schema: { tags: ['health'], security: [], response: { 200: Health } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' as const };
  });

  app.get('/readyz', { schema: { tags: ['health'], security: [], response: { 200: Health, 503: ErrorResponse } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    await app.database.ping();
    return { status: 'ok' as const };
  });
};
