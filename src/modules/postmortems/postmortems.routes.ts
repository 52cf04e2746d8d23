import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { Postmortem, PutPostmortem } from './postmortems.schemas.js';
import * as service from './postmortems.service.js';

export interface PostmortemRoutesOptions {
  notifier: service.PostmortemNotifier;
}

const tags = ['postmortems'];
const responder = { minRole: 'responder' as const };
const errors = { ...adminErrors, 404: ErrorResponse, 409: ErrorResponse };

export const postmortemRoutes: FastifyPluginAsyncTypebox<PostmortemRoutesOptions> = async (app, options) => {
  app.get(
    '/incidents/:id/postmortem',
    { schema: { summary: 'Get an incident’s postmortem', operationId: 'getPostmortem', tags, params: IdParams, response: { 200: Postmortem, ...errors } } },
    async (req) => service.getPostmortem(requestContext(app, req), req.params.id),
  );

  // Saving a published postmortem changes its public page, so the renders are refreshed.
  app.put(
    '/incidents/:id/postmortem',
    { config: responder, schema: { summary: 'Write an incident’s postmortem', operationId: 'putPostmortem', tags, params: IdParams, body: PutPostmortem, response: { 200: Postmortem, ...errors } } },
    async (req) => service.putPostmortem(requestContext(app, req), req.params.id, req.body),
  );

  app.post(
    '/incidents/:id/postmortem/publish',
    { config: responder, schema: { summary: 'Publish an incident’s postmortem', operationId: 'publishPostmortem', tags, params: IdParams, response: { 200: Postmortem, ...errors } } },
    async (req) => service.publishPostmortem(requestContext(app, req), req.params.id, options.notifier),
  );
};
