import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { defaultScopeFor, scopeAllows, type TokenScope } from '../domain/token-scopes.js';
import { roleAtLeast, type Role } from '../domain/vocabulary.js';
import { Errors } from '../core/errors.js';
import type { Actor } from '../core/actor.js';
import { actorForApiToken, bearerApiToken } from '../modules/tokens/index.js';
import { findUserById } from '../modules/users/index.js';

/** What a token carries: who, and which generation of their sessions. */
export interface TokenClaims {
  sub: string;
  tv: number;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for an encapsulated context: every route in it needs a valid token. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    issueToken: (user: { id: string; tokenVersion: number }) => { token: string; expiresAt: Date };
  }
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** The least role that may call the route. Unset: viewers may read, only owners may write. */
    minRole?: Role;
    /** False for a write the public pages never show (users, notes, …): it leaves their renders be. */
    publicChange?: boolean;
    /**
     * The scope an API token needs here. Unset: `read` for GET and HEAD, `write` otherwise.
     * Null: API tokens are refused (users, tokens, logout are for people).
     */
    tokenScope?: TokenScope | null;
    /** Only API tokens may call the route (machine endpoints such as alert intake). */
    apiTokensOnly?: boolean;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function hasRole(actor: Actor, minRole: Role): boolean {
  return roleAtLeast(actor.role, minRole);
}

export interface AuthOptions {
  jwtSecret: string;
  jwtExpiresIn: string;
}

export default fp<AuthOptions>(
  async (app, { jwtSecret, jwtExpiresIn }) => {
    await app.register(fastifyJwt, {
      secret: jwtSecret,
      // The algorithm is pinned both ways: `alg: none` and algorithm-confusion tokens are refused.
      sign: { algorithm: 'HS256', expiresIn: jwtExpiresIn },
      verify: { algorithms: ['HS256'] },
    });

    app.decorateRequest('actor', null as unknown as Actor);

    app.decorate('issueToken', (user: { id: string; tokenVersion: number }) => {
      const token = app.jwt.sign({ sub: user.id, tv: user.tokenVersion });
      const { exp } = app.jwt.decode<{ exp: number }>(token)!;
      return { token, expiresAt: new Date(exp * 1000) };
    });

    const tokenLastUsed = new Map<string, number>();

    app.decorate('authenticate', async (request: FastifyRequest) => {
      if (!request.headers.authorization) throw new Errors.unauthorized('Missing bearer token');
      const config = request.routeOptions.config;
      const apiToken = bearerApiToken(request.headers.authorization);
      if (apiToken) {
        request.actor = await actorForApiToken(app.db, apiToken, app.now(), tokenLastUsed);
        const needed = config.tokenScope === undefined ? defaultScopeFor(request.method) : config.tokenScope;
        if (needed === null) throw new Errors.forbidden('API tokens cannot be used here; sign in');
        if (!scopeAllows(request.actor.token!.scopes, needed)) {
          throw new Errors.forbidden(`This needs an API token with the ${needed} scope`);
        }
      } else if (config.apiTokensOnly) {
        throw new Errors.forbidden('This takes an API token, not a session');
      } else {
        await authenticateSession(request);
      }
      const minRole = config.minRole ?? (['GET', 'HEAD'].includes(request.method) ? 'viewer' : 'owner');
      if (!hasRole(request.actor, minRole)) {
        throw new Errors.forbidden(`This needs the ${minRole} role; you are ${request.actor.role}`);
      }
    });

    async function authenticateSession(request: FastifyRequest) {
      let claims: TokenClaims;
      try {
        claims = await request.jwtVerify<TokenClaims>();
      } catch {
        throw new Errors.unauthorized('Invalid or expired token');
      }
      // Only someone holding the secret can sign a token, but a bad subject must still be a 401.
      const user = typeof claims.sub === 'string' && UUID.test(claims.sub) ? await findUserById(app.db, claims.sub) : undefined;
      // A deleted user, a logout or a password change all leave the token's version behind.
      if (!user || user.tokenVersion !== claims.tv) throw new Errors.unauthorized('Token revoked');
      request.actor = { id: user.id, email: user.email, name: user.name, role: user.role };
    }
  },
  { name: 'auth', dependencies: ['database', 'clock'] },
);
