import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../core/errors.js';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { ComponentSource, SetComponentSource } from './component-sources.schemas.js';
import * as service from './component-sources.service.js';

const tags = ['components'];
/** Linking decides where this server sends requests: the owner's, as webhooks are. Nothing public changes until a poll. */
const ownerPrivate = { minRole: 'owner' as const, publicChange: false };

/** `/api/admin/components/:id/source`: the other status page a component follows. */
export const componentSourceRoutes: FastifyPluginAsyncTypebox<{ onLinked: () => void }> = async (app, options) => {
  app.get(
    '/components/:id/source',
    {
      schema: {
        summary: "Show the status page a component follows, with its last poll",
        operationId: 'getComponentSource',
        tags,
        params: IdParams,
        response: { 200: ComponentSource, ...adminErrors, 404: ErrorResponse },
      },
    },
    async (req) => {
      const source = await service.getSource(requestContext(app, req), req.params.id);
      if (!source) throw new Errors.notFound('Source of component', req.params.id);
      return source;
    },
  );

  app.put(
    '/components/:id/source',
    {
      config: ownerPrivate,
      schema: {
        summary: 'Follow another status page (Statuspage v2) with a component',
        operationId: 'setComponentSource',
        tags,
        params: IdParams,
        body: SetComponentSource,
        response: { 200: ComponentSource, ...adminErrors, 404: ErrorResponse },
      },
    },
    async (req) => {
      const { resolver, allowPrivateWebhooks } = app.notifications;
      const source = await service.setSource(requestContext(app, req), req.params.id, req.body, { resolver, allowPrivate: allowPrivateWebhooks });
      options.onLinked();
      return source;
    },
  );

  app.delete(
    '/components/:id/source',
    {
      config: ownerPrivate,
      schema: {
        summary: 'Stop following another status page (the component keeps its status)',
        operationId: 'deleteComponentSource',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      await service.deleteSource(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
