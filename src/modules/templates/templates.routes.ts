import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { CreateTemplate, IncidentTemplate, UpdateTemplate } from './templates.schemas.js';
import * as service from './templates.service.js';

const tags = ['incident templates'];
/**
 * Templates are runbook material: responders write and use them. They are not on the public
 * pages until an incident is opened from one (through `POST /incidents`).
 */
const manage = { minRole: 'responder' as const, publicChange: false };
const notFound = { 404: ErrorResponse };

export const templateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/incident-templates',
    { schema: { summary: 'List incident templates', operationId: 'listIncidentTemplates', tags, response: { 200: Type.Array(IncidentTemplate), ...adminErrors } } },
    async (req) => service.listTemplates(requestContext(app, req)),
  );

  app.get(
    '/incident-templates/:id',
    { schema: { summary: 'Get an incident template', operationId: 'getIncidentTemplate', tags, params: IdParams, response: { 200: IncidentTemplate, ...adminErrors, ...notFound } } },
    async (req) => service.getTemplate(requestContext(app, req), req.params.id),
  );

  app.post(
    '/incident-templates',
    { config: manage, schema: { summary: 'Create an incident template', operationId: 'createIncidentTemplate', tags, body: CreateTemplate, response: { 201: IncidentTemplate, ...adminErrors, 409: ErrorResponse } } },
    async (req, reply) => reply.code(201).send(await service.createTemplate(requestContext(app, req), req.body)),
  );

  app.patch(
    '/incident-templates/:id',
    {
      config: manage,
      schema: { summary: 'Update an incident template', operationId: 'updateIncidentTemplate', tags, params: IdParams, body: UpdateTemplate, response: { 200: IncidentTemplate, ...adminErrors, ...notFound, 409: ErrorResponse } },
    },
    async (req) => service.updateTemplate(requestContext(app, req), req.params.id, req.body),
  );

  app.delete(
    '/incident-templates/:id',
    { config: manage, schema: { summary: 'Delete an incident template', operationId: 'deleteIncidentTemplate', tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, ...notFound } } },
    async (req, reply) => {
      await service.deleteTemplate(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
