import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { ChatChannel, CreateChatChannel, ListedChatChannel, TestQueued, UpdateChatChannel } from './chat-channels.schemas.js';
import * as service from './chat-channels.service.js';

/** Chat channels are not on the public pages: their writes leave the renders be. Owners only: the URLs are secrets. */
const ownerPrivate = { minRole: 'owner' as const, publicChange: false };
const tags = ['chat channels'];

/** `/api/admin/chat-channels`. */
export const chatChannelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/chat-channels',
    { config: ownerPrivate, schema: { summary: 'List chat channels', operationId: 'listChatChannels', tags, response: { 200: Type.Array(ListedChatChannel), ...adminErrors } } },
    async (req) => service.listChatChannels(requestContext(app, req)),
  );

  app.post(
    '/chat-channels',
    { config: ownerPrivate, schema: { summary: 'Add a chat channel', operationId: 'createChatChannel', tags, body: CreateChatChannel, response: { 201: ChatChannel, ...adminErrors } } },
    async (req, reply) => {
      const { resolver, allowPrivateWebhooks } = app.notifications;
      const created = await service.createChatChannel(requestContext(app, req), req.body, { resolver, allowPrivate: allowPrivateWebhooks });
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/chat-channels/:id',
    {
      config: ownerPrivate,
      schema: { summary: 'Change a chat channel’s name, components or staff events', operationId: 'updateChatChannel', tags, params: IdParams, body: UpdateChatChannel, response: { 200: ChatChannel, ...adminErrors, 404: ErrorResponse } },
    },
    async (req) => service.updateChatChannel(requestContext(app, req), req.params.id, req.body),
  );

  app.delete(
    '/chat-channels/:id',
    { config: ownerPrivate, schema: { summary: 'Delete a chat channel', operationId: 'deleteChatChannel', tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.deleteChatChannel(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/chat-channels/:id/test',
    { config: ownerPrivate, schema: { summary: 'Send a test message to a chat channel', operationId: 'testChatChannel', tags, params: IdParams, response: { 202: TestQueued, ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.testChatChannel(requestContext(app, req), req.params.id);
      app.notifications.worker.wake();
      return reply.code(202).send({ message: 'The test message is queued; its outcome shows in the list' });
    },
  );
};
