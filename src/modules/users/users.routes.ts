import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../core/errors.js';
import { adminErrors, ErrorResponse, IdParams } from '../../http/schema-helpers.js';
import { requestContext, systemContext } from '../context.js';
import { startSession } from '../sessions/index.js';
import { CreateUser, LoginResult, UpdateUser, User } from './users.schemas.js';
import * as service from './users.service.js';

const tags = ['users'];
/** Users never appear on the public pages: their writes leave the rendered pages be. */
const privateWrite = { publicChange: false };

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/users', { schema: { summary: 'List users', operationId: 'listUsers', tags, response: { 200: Type.Array(User), ...adminErrors } }, config: { minRole: 'owner' } }, async (req) =>
    service.listUsers(requestContext(app, req)),
  );

  app.get('/me', { schema: { summary: 'The signed-in user', operationId: 'getMe', tags, response: { 200: User, ...adminErrors } } }, async (req) => service.getMe(requestContext(app, req)));

  app.post(
    '/users',
    { config: privateWrite, schema: { summary: 'Create a user', operationId: 'createUser', tags, body: CreateUser, response: { 201: User, ...adminErrors, 409: ErrorResponse } } },
    async (req, reply) => reply.code(201).send(await service.createUser(requestContext(app, req), req.body)),
  );

  app.patch(
    '/users/:id',
    { config: privateWrite, schema: { summary: 'Update a user: name, role or password', operationId: 'updateUser', tags, params: IdParams, body: UpdateUser, response: { 200: User, ...adminErrors, 404: ErrorResponse, 409: ErrorResponse } } },
    async (req) => service.updateUser(requestContext(app, req), req.params.id, req.body),
  );

  app.delete(
    '/users/:id',
    { config: privateWrite, schema: { summary: 'Delete a user', operationId: 'deleteUser', tags, params: IdParams, response: { 204: Type.Null(), ...adminErrors, 404: ErrorResponse, 409: ErrorResponse } } },
    async (req, reply) => {
      await service.deleteUser(requestContext(app, req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // Signing out: this session (`/logout`), or every session of the caller (`/logout-everywhere`).
  const signOuts = [
    ['/logout', service.logout, { summary: 'Sign out: end this session', operationId: 'logout' }],
    ['/logout-everywhere', service.logoutEverywhere, { summary: 'Sign out everywhere: end every session of the caller', operationId: 'logoutEverywhere' }],
  ] as const;
  for (const [path, verb, doc] of signOuts) {
    app.post(
      path,
      { config: { minRole: 'viewer', tokenScope: null, ...privateWrite }, schema: { ...doc, tags: ['auth'], response: { 204: Type.Null(), 401: ErrorResponse } } },
      async (req, reply) => {
        await verb(requestContext(app, req));
        return reply.code(204).send(null);
      },
    );
  }
};

/** Login sits outside the authenticated context, behind its own rate limit. */
export const loginRoutes: FastifyPluginAsyncTypebox<{ loginRateLimit: number; loginRateWindowSeconds: number }> = async (
  app,
  { loginRateLimit, loginRateWindowSeconds },
) => {
  app.post(
    '/login',
    {
      config: { rateLimit: { max: loginRateLimit, timeWindow: loginRateWindowSeconds * 1000 } },
      schema: {
        summary: 'Sign in: a session token for email and password',
        operationId: 'login',
        tags: ['auth'],
        security: [],
        body: Type.Object(
          { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: LoginResult, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (req) => {
      // Nobody is signed in yet: the login acts for no one.
      const user = await service.authenticate(systemContext(app), req.body.email, req.body.password);
      if (!user) throw new Errors.unauthorized('Wrong email or password');
      const { token, expiresAt } = await startSession(systemContext(app), user, app.signSessionToken);
      return { token, expiresAt: expiresAt.toISOString(), user: service.toUserView(user) };
    },
  );
};
