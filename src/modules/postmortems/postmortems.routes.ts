import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { etagOf, ifMatchVersion } from '../../http/version-etag.js';
import { requestContext } from '../context.js';
import { Postmortem, PutPostmortem, type PostmortemView } from './postmortems.schemas.js';
import * as service from './postmortems.service.js';

export interface PostmortemRoutesOptions {
  notifier: service.PostmortemNotifier;
}

const tags = ['postmortems'];
const responder = { minRole: 'responder' as const };
const errors = { ...adminErrors, 404: ErrorResponse, 409: ErrorResponse };

const withEtag = (reply: FastifyReply, postmortem: PostmortemView) => reply.header('etag', etagOf(postmortem.version)).send(postmortem);

export const postmortemRoutes: FastifyPluginAsyncTypebox<PostmortemRoutesOptions> = async (app, options) => {
  app.get(
    '/incidents/:id/postmortem',
    { schema: { summary: 'Get an incident’s postmortem', operationId: 'getPostmortem', tags, params: IdParams, response: { 200: Postmortem, ...errors } } },
    async (req, reply) => withEtag(reply, await service.getPostmortem(requestContext(app, req), req.params.id)),
  );

  // Saving a published postmortem changes its public page, so the renders are refreshed.
  // `If-Match` is optional: with it, a save based on an older read is a 412, nothing written.
  app.put(
    '/incidents/:id/postmortem',
    {
      config: responder,
      schema: {
        summary: 'Write an incident’s postmortem (If-Match)',
        operationId: 'putPostmortem',
        tags,
        params: IdParams,
        body: PutPostmortem,
        response: { 200: Postmortem, ...errors, 412: ErrorResponse },
      },
    },
    async (req, reply) => withEtag(reply, await service.putPostmortem(requestContext(app, req), req.params.id, req.body, ifMatchVersion(req, 'postmortem'))),
  );

  app.post(
    '/incidents/:id/postmortem/publish',
    { config: responder, schema: { summary: 'Publish an incident’s postmortem', operationId: 'publishPostmortem', tags, params: IdParams, response: { 200: Postmortem, ...errors } } },
    async (req, reply) => withEtag(reply, await service.publishPostmortem(requestContext(app, req), req.params.id, options.notifier)),
  );
};
