import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
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
  app.get('/components', { schema: { summary: 'List components', operationId: 'listComponents', tags, response: { 200: Type.Array(Component), ...adminErrors } } }, async (req) =>
    service.listComponents(requestContext(app, req)),
  );

  app.post(
    '/components',
    { schema: { summary: 'Create a component', operationId: 'createComponent', tags, body: CreateComponent, response: { 201: Component, ...adminErrors } } },
    async (req, reply) => reply.code(201).send(await service.createComponent(requestContext(app, req), req.body)),
  );

  app.patch(
    '/components/:id',
    {
      config: { minRole: 'responder' },
      schema: { summary: 'Update a component: name, description, group, position or status', operationId: 'updateComponent', tags, params: IdParams, body: UpdateComponent, response: { 200: Component, ...adminErrors, 404: ErrorResponse } },
    },
    async (req) => service.updateComponent(requestContext(app, req), req.params.id, req.body),
  );

  app.delete(
    '/components/:id',
    { schema: { summary: 'Delete a component', operationId: 'deleteComponent', tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.deleteComponent(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/component-groups',
    { schema: { summary: 'List component groups', operationId: 'listComponentGroups', tags, response: { 200: Type.Array(ComponentGroup), ...adminErrors } } },
    async (req) => service.listGroups(requestContext(app, req)),
  );

  app.post(
    '/component-groups',
    { schema: { summary: 'Create a component group', operationId: 'createComponentGroup', tags, body: CreateComponentGroup, response: { 201: ComponentGroup, ...adminErrors } } },
    async (req, reply) => reply.code(201).send(await service.createGroup(requestContext(app, req), req.body)),
  );

  app.patch(
    '/component-groups/:id',
    {
      schema: { summary: 'Update a component group', operationId: 'updateComponentGroup', tags, params: IdParams, body: UpdateComponentGroup, response: { 200: ComponentGroup, ...adminErrors, 404: ErrorResponse } },
    },
    async (req) => service.updateGroup(requestContext(app, req), req.params.id, req.body),
  );

  app.delete(
    '/component-groups/:id',
    { schema: { summary: 'Delete a component group', operationId: 'deleteComponentGroup', tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.deleteGroup(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
