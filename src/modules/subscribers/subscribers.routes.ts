import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { refuseIdempotencyKey } from '../../plugins/idempotency.js';
import { requestContext } from '../context.js';
import {
  CreatedWebhook,
  CreateWebhook,
  ImportBody,
  ImportResultSchema,
  ListedWebhook,
  ListSubscribersQuery,
  Subscriber,
} from './subscribers.schemas.js';
import * as service from './subscribers.service.js';
import * as webhooks from './webhooks.service.js';

/** Subscribers are not on the public pages: their writes leave the renders be. Owners only: addresses are personal data. */
const ownerPrivate = { minRole: 'owner' as const, publicChange: false };

/** `/api/admin/subscribers` and `/api/admin/webhooks`. */
export const subscriberAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/subscribers',
    { config: ownerPrivate, schema: { summary: 'List subscribers', operationId: 'listSubscribers', tags: ['subscribers'], querystring: ListSubscribersQuery, response: { 200: Type.Array(Subscriber), ...adminErrors } } },
    async (req) => service.listSubscribers(requestContext(app, req), req.query.limit ?? 100, req.query.offset ?? 0, req.query.search),
  );

  app.get(
    '/subscribers/export',
    { config: ownerPrivate, schema: { summary: 'Export subscribers as CSV', operationId: 'exportSubscribers', tags: ['subscribers'], produces: ['text/csv'], response: { 200: Type.Unknown({ description: 'CSV: email, status, component_ids, confirmed_at, created_at' }), ...adminErrors } } },
    async (req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="subscribers.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(service.exportCsv(requestContext(app, req)))),
  );

  app.post(
    '/subscribers/import',
    {
      config: ownerPrivate,
      // Ten thousand addresses with their components fit in well under 4 MB.
      bodyLimit: 4 * 1024 * 1024,
      schema: { summary: 'Import subscribers', operationId: 'importSubscribers', tags: ['subscribers'], body: ImportBody, response: { 200: ImportResultSchema, ...adminErrors } },
    },
    async (req) => {
      const result = await service.importSubscribers(requestContext(app, req), req.body, app.notifications.tokens);
      app.notifications.worker.wake();
      return result;
    },
  );

  app.delete(
    '/subscribers/:id',
    { config: ownerPrivate, schema: { summary: 'Delete a subscriber', operationId: 'deleteSubscriber', tags: ['subscribers'], params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.deleteSubscriber(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks',
    { config: ownerPrivate, schema: { summary: 'List webhook subscribers', operationId: 'listWebhooks', tags: ['webhooks'], response: { 200: Type.Array(ListedWebhook), ...adminErrors } } },
    async (req) => webhooks.listWebhooks(requestContext(app, req)),
  );

  app.post(
    '/webhooks',
    {
      config: ownerPrivate,
      preValidation: refuseIdempotencyKey('a webhook'),
      schema: { summary: 'Add a webhook subscriber', operationId: 'createWebhook', tags: ['webhooks'], body: CreateWebhook, response: { 201: CreatedWebhook, ...adminErrors } },
    },
    async (req, reply) => {
      const { resolver, allowPrivateWebhooks } = app.notifications;
      const created = await webhooks.createWebhook(requestContext(app, req), req.body, { resolver, allowPrivate: allowPrivateWebhooks }, app.notifications.tokens);
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/webhooks/:id',
    { config: ownerPrivate, schema: { summary: 'Delete a webhook subscriber', operationId: 'deleteWebhook', tags: ['webhooks'], params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await webhooks.deleteWebhook(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
