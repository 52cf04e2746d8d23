import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { Postmortem, PutPostmortem } from './postmortems.schemas.js';
import * as service from './postmortems.service.js';

export interface PostmortemRoutesOptions {
  publicUrl: string;
  pageName: string;
  timeZone: string;
  notifier: service.PostmortemNotifier;
}

const tags = ['postmortems'];
const responder = { minRole: 'responder' as const };
const errors = { ...adminErrors, 404: ErrorResponse, 409: ErrorResponse };

export const postmortemRoutes: FastifyPluginAsyncTypebox<PostmortemRoutesOptions> = async (app, options) => {
  const ctx = (req: FastifyRequest): service.PostmortemContext => ({
    db: app.db,
    actor: req.actor,
    now: app.now(),
    publicUrl: options.publicUrl,
    pageName: options.pageName,
    timeZone: options.timeZone,
    notifier: options.notifier,
  });

  app.get(
    '/incidents/:id/postmortem',
    { schema: { tags, params: IdParams, response: { 200: Postmortem, ...errors } } },
    async (req) => service.getPostmortem(app.db, req.params.id, { now: app.now(), timeZone: options.timeZone }),
  );

  // Saving a published postmortem changes its public page, so the renders are refreshed.
  app.put(
    '/incidents/:id/postmortem',
    { config: responder, schema: { tags, params: IdParams, body: PutPostmortem, response: { 200: Postmortem, ...errors } } },
    async (req) => service.putPostmortem(ctx(req), req.params.id, req.body),
  );

  app.post(
    '/incidents/:id/postmortem/publish',
    { config: responder, schema: { tags, params: IdParams, response: { 200: Postmortem, ...errors } } },
    async (req) => service.publishPostmortem(ctx(req), req.params.id),
  );
};
