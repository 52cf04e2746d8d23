import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { getMaintenance, listMaintenances } from './maintenance.read.js';
import { CreateMaintenance, ListMaintenancesQuery, Maintenance, PatchMaintenance } from './maintenance.schemas.js';
import * as service from './maintenance.service.js';

const tags = ['maintenance'];
const responder = { minRole: 'responder' as const };
const notFound = { 404: ErrorResponse };
const conflict = { 409: ErrorResponse };

/** `/api/admin/maintenances`: responders and owners plan and run maintenance; viewers read. */
export const maintenanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/maintenances',
    { schema: { summary: 'List maintenances', operationId: 'listMaintenances', tags, querystring: ListMaintenancesQuery, response: { 200: Type.Array(Maintenance), ...adminErrors } } },
    async (req) => listMaintenances(requestContext(app, req), req.query.state ?? 'open'),
  );

  app.post(
    '/maintenances',
    { config: responder, schema: { summary: 'Schedule a maintenance', operationId: 'scheduleMaintenance', tags, body: CreateMaintenance, response: { 201: Maintenance, ...adminErrors } } },
    async (req, reply) => reply.code(201).send(await service.createMaintenance(requestContext(app, req), req.body)),
  );

  app.get(
    '/maintenances/:id',
    { schema: { summary: 'Get a maintenance', operationId: 'getMaintenance', tags, params: IdParams, response: { 200: Maintenance, ...adminErrors, ...notFound } } },
    async (req) => getMaintenance(requestContext(app, req), req.params.id),
  );

  app.patch(
    '/maintenances/:id',
    {
      config: responder,
      schema: { summary: 'Move a maintenance on, change it, or post a progress note', operationId: 'updateMaintenance', tags, params: IdParams, body: PatchMaintenance, response: { 200: Maintenance, ...adminErrors, ...notFound, ...conflict } },
    },
    async (req) => service.patchMaintenance(requestContext(app, req), req.params.id, req.body),
  );

  app.delete(
    '/maintenances/:id',
    { config: responder, schema: { summary: 'Delete a scheduled maintenance', operationId: 'deleteMaintenance', tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, ...notFound, ...conflict } } },
    async (req, reply) => {
      await service.deleteMaintenance(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
