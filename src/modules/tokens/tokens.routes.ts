import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { refuseIdempotencyKey } from '../../plugins/idempotency.js';
import { requestContext } from '../context.js';
import { ApiToken, CreatedToken, CreateToken } from './tokens.schemas.js';
import * as service from './tokens.service.js';

const tags = ['tokens'];
/**
 * Owners only, and never through an API token (`tokenScope: null`), whatever its scopes:
 * automation must not mint or revoke its own credentials. Tokens are not on the public pages.
 */
const ownerSession = { minRole: 'owner' as const, tokenScope: null, publicChange: false };

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/tokens', { config: ownerSession, schema: { summary: 'List API tokens', operationId: 'listApiTokens', tags, response: { 200: Type.Array(ApiToken), ...adminErrors } } }, async (req) =>
    service.listTokens(requestContext(app, req)),
  );

  app.post(
    '/tokens',
    {
      config: ownerSession,
      preValidation: refuseIdempotencyKey('a token'),
      schema: { summary: 'Create an API token (its secret is shown once)', operationId: 'createApiToken', tags, body: CreateToken, response: { 201: CreatedToken, ...adminErrors } },
    },
    async (req, reply) => reply.code(201).send(await service.createToken(requestContext(app, req), req.body)),
  );

  app.delete(
    '/tokens/:id',
    { config: ownerSession, schema: { summary: 'Revoke an API token', operationId: 'revokeApiToken', tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse } } },
    async (req, reply) => {
      await service.revokeToken(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
