import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import {
  Component,
  ComponentGroup,
  CreateComponent,
  CreateComponentGroup,
  UpdateComponent,
  UpdateComponentGroup,
} from './components.schemas.js';
import * as service from './components.service.js';

const tags = ['components'];

export const componentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/components', { schema: { tags, response: { 200: Type.Array(Component), ...adminErrors } } }, async () =>
    service.listComponents(app.db),
  );

  app.post(
    '/components',
    { schema: { tags, body: CreateComponent, response: { 201: Component, ...adminErrors } } },
    async (req, reply) => reply.code(201).send(await service.createComponent(app.db, req.body, req.actor, app.now())),
  );

  app.patch(
    '/components/:id',
    {
      config: { minRole: 'responder' },
      schema: { tags, params: IdParams, body: UpdateComponent, response: { 200: Component, ...adminErrors, 404: ErrorResponse } },
    },
    async (req) => service.updateComponent(app.db, req.params.id, req.body, req.actor, app.now()),
  );

  app.delete(
    '/components/:id',
    { schema: { tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.deleteComponent(app.db, req.params.id, req.actor);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/component-groups',
    { schema: { tags, response: { 200: Type.Array(ComponentGroup), ...adminErrors } } },
    async () => service.listGroups(app.db),
  );

  app.post(
    '/component-groups',
    { schema: { tags, body: CreateComponentGroup, response: { 201: ComponentGroup, ...adminErrors } } },
    async (req, reply) => reply.code(201).send(await service.createGroup(app.db, req.body, req.actor)),
  );

  app.patch(
    '/component-groups/:id',
    {
      schema: { tags, params: IdParams, body: UpdateComponentGroup, response: { 200: ComponentGroup, ...adminErrors, 404: ErrorResponse } },
    },
    async (req) => service.updateGroup(app.db, req.params.id, req.body, req.actor),
  );

  app.delete(
    '/component-groups/:id',
    { schema: { tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.deleteGroup(app.db, req.params.id, req.actor);
      return reply.code(204).send(null);
    },
  );
};
