import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestContext, type ServiceContext } from '../context.js';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { etagOf, ifMatchVersion } from '../../http/version-etag.js';
import {
  AddNote,
  AddUpdate,
  CreateIncident,
  CreateIncidentFromTemplate,
  type CreateIncidentFromTemplateInput,
  Incident,
  IncidentDetail,
  type IncidentDetailView,
  IncidentNote,
  ListQuery,
  PatchIncident,
  Publish,
  Resolve,
} from './incidents.schemas.js';
import * as read from './incidents.read.js';
import { addNote } from './verbs/add-note.js';
import { addUpdate } from './verbs/add-update.js';
import { createIncident } from './verbs/create.js';
import { patchIncident } from './verbs/patch.js';
import { publishIncident } from './verbs/publish.js';
import { resolveIncident } from './verbs/resolve.js';
import { acknowledgeIncident, mitigateIncident } from './verbs/stamp.js';
import { Type } from 'typebox';

const tags = ['incidents'];
const responder = { minRole: 'responder' as const };
/** Writes the public pages do not show (the clock stamps, internal notes) leave their renders be. */
const responderPrivate = { ...responder, publicChange: false };
const notFound = { 404: ErrorResponse };
const conflict = { 409: ErrorResponse };

function withEtag(reply: FastifyReply, incident: IncidentDetailView) {
  return reply.header('etag', etagOf(incident.version)).send(incident);
}

const expectedVersion = (request: FastifyRequest) => ifMatchVersion(request, 'incident');

export interface IncidentRoutesOptions {
  /**
   * Opens an incident from a template (`POST /incidents` with a `templateId`). Handed in by the
   * admin API: templates build on incidents, so incidents cannot import them.
   */
  openFromTemplate: (ctx: ServiceContext, input: CreateIncidentFromTemplateInput) => Promise<IncidentDetailView>;
}

export const incidentRoutes: FastifyPluginAsyncTypebox<IncidentRoutesOptions> = async (app, { openFromTemplate }) => {
  const ctx = (req: FastifyRequest) => requestContext(app, req);

  app.get(
    '/incidents',
    { schema: { summary: 'List incidents', operationId: 'listIncidents', tags, querystring: ListQuery, response: { 200: Type.Array(Incident), ...adminErrors } } },
    async (req) => read.listIncidents(ctx(req), req.query.state ?? 'open'),
  );

  app.post(
    '/incidents',
    {
      config: responder,
      schema: { summary: 'Declare an incident, published or as a draft', operationId: 'createIncident', tags, body: Type.Union([CreateIncident, CreateIncidentFromTemplate]), response: { 201: IncidentDetail, ...adminErrors } },
    },
    async (req, reply) => {
      const created = 'templateId' in req.body ? await openFromTemplate(ctx(req), req.body) : await createIncident(ctx(req), req.body);
      return withEtag(reply.code(201), created);
    },
  );

  app.get(
    '/incidents/:id',
    { schema: { summary: 'Get an incident with its updates, notes and response clocks', operationId: 'getIncident', tags, params: IdParams, response: { 200: IncidentDetail, ...adminErrors, ...notFound } } },
    async (req, reply) => {
      return withEtag(reply, await read.getIncident(ctx(req), req.params.id));
    },
  );

  app.patch(
    '/incidents/:id',
    {
      config: responder,
      schema: {
        summary: 'Change an incident’s title, severity, roles or times (If-Match)',
        operationId: 'patchIncident',
        tags,
        params: IdParams,
        body: PatchIncident,
        response: { 200: IncidentDetail, ...adminErrors, ...notFound, 412: ErrorResponse },
      },
    },
    async (req, reply) => {
      return withEtag(reply, await patchIncident(ctx(req), req.params.id, req.body, expectedVersion(req)));
    },
  );

  const detailResponses = { ...adminErrors, ...notFound, ...conflict };

  app.post(
    '/incidents/:id/publish',
    {
      config: responder,
      // The body is optional (a draft with an update publishes as it is): treat none as `{}`.
      preValidation: async (req) => {
        req.body ??= {};
      },
      schema: { summary: 'Publish a draft incident', operationId: 'publishIncident', tags, params: IdParams, body: Publish, response: { 200: IncidentDetail, ...detailResponses } },
    },
    async (req, reply) => withEtag(reply, await publishIncident(ctx(req), req.params.id, req.body)),
  );

  app.post(
    '/incidents/:id/updates',
    { config: responder, schema: { summary: 'Post an incident update (If-Match)', operationId: 'addIncidentUpdate', tags, params: IdParams, body: AddUpdate, response: { 201: IncidentDetail, ...detailResponses, 412: ErrorResponse } } },
    async (req, reply) => withEtag(reply.code(201), await addUpdate(ctx(req), req.params.id, req.body, expectedVersion(req))),
  );

  app.post(
    '/incidents/:id/resolve',
    { config: responder, schema: { summary: 'Resolve an incident with its resolution announcement (If-Match)', operationId: 'resolveIncident', tags, params: IdParams, body: Resolve, response: { 200: IncidentDetail, ...detailResponses, 412: ErrorResponse } } },
    async (req, reply) => withEtag(reply, await resolveIncident(ctx(req), req.params.id, req.body, expectedVersion(req))),
  );

  app.post(
    '/incidents/:id/acknowledge',
    { config: responderPrivate, schema: { summary: 'Acknowledge an incident', operationId: 'acknowledgeIncident', tags, params: IdParams, response: { 200: IncidentDetail, ...detailResponses } } },
    async (req, reply) => withEtag(reply, await acknowledgeIncident(ctx(req), req.params.id)),
  );

  app.post(
    '/incidents/:id/mitigate',
    { config: responderPrivate, schema: { summary: 'Mark an incident mitigated', operationId: 'mitigateIncident', tags, params: IdParams, response: { 200: IncidentDetail, ...detailResponses } } },
    async (req, reply) => withEtag(reply, await mitigateIncident(ctx(req), req.params.id)),
  );

  app.post(
    '/incidents/:id/notes',
    { config: responderPrivate, schema: { summary: 'Add an internal note to an incident', operationId: 'addIncidentNote', tags, params: IdParams, body: AddNote, response: { 201: IncidentNote, ...adminErrors, ...notFound } } },
    async (req, reply) => reply.code(201).send(await addNote(ctx(req), req.params.id, req.body.text)),
  );
};
