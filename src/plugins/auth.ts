import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { API_TOKEN_PREFIX, defaultScopeFor, scopeAllows, type TokenScope } from '../domain/token-scopes.js';
import { isUuid } from '../core/ids.js';
import { roleAtLeast, type Role } from '../domain/vocabulary.js';
import { Errors } from '../core/errors.js';
import type { Actor } from '../core/actor.js';

/**
 * What a token carries: who, which generation of their sessions, and which sign-in (`sid`,
 * a row of `sessions`). A token signed before sessions existed has no `sid`: it lives by `tv`
 * alone until it expires.
 */
export interface TokenClaims {
  sub: string;
  tv: number;
  sid?: string;
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
    /** Signs a token for a new session (see modules/sessions): its lifetime is the configured one. */
    signSessionToken: (claims: Required<TokenClaims>) => { token: string; lifetimeSeconds: number };
    /** The actor a session token (from a header or the console's cookie) names; a 401 otherwise. */
    actorForSessionToken: (token: string) => Promise<Actor>;
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

export function hasRole(actor: Actor, minRole: Role): boolean {
  return roleAtLeast(actor.role, minRole);
}

/** The user a session token names: who, and which generation of their sessions is valid. */
export type SessionUser = Omit<Actor, 'token'> & { tokenVersion: number };

export interface AuthOptions {
  jwtSecret: string;
  jwtExpiresIn: string;
  /** The actor an API token (`hg_…`) acts as; throws a 401 for an unknown or revoked one. */
  actorForApiToken: (token: string, now: Date) => Promise<Actor>;
  /** The user a session's subject names, if there still is one. */
  findUser: (id: string) => Promise<SessionUser | undefined>;
  /** The user of a live (not revoked, not expired) session of `userId`, if there is one. */
  findSessionUser: (sessionId: string, userId: string, now: Date) => Promise<Omit<SessionUser, 'tokenVersion'> | undefined>;
}

/** `Authorization: Bearer hg_…`: the token, or null when the header carries something else. */
export function bearerApiToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1]?.startsWith(API_TOKEN_PREFIX) ? match[1] : null;
}

export default fp<AuthOptions>(
  async (app, { jwtSecret, jwtExpiresIn, actorForApiToken, findUser, findSessionUser }) => {
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

    app.decorate('signSessionToken', (claims: Required<TokenClaims>) => {
      const token = app.jwt.sign(claims);
      const { exp, iat } = app.jwt.decode<{ exp: number; iat: number }>(token)!;
      return { token, lifetimeSeconds: exp - iat };
    });

    app.decorate('actorForSessionToken', async (token: string) => {
      let claims: TokenClaims;
      try {
        claims = await app.jwt.verify<TokenClaims>(token);
      } catch {
        throw new Errors.unauthorized('Invalid or expired token');
      }
      return actorForClaims(claims);
    });

    app.decorate('authenticate', async (request: FastifyRequest) => {
      if (!request.headers.authorization) throw new Errors.unauthorized('Missing bearer token');
      const config = request.routeOptions.config;
      const apiToken = bearerApiToken(request.headers.authorization);
      if (apiToken) {
        request.actor = await actorForApiToken(apiToken, app.now());
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
      request.actor = await actorForClaims(claims);
    }

    async function actorForClaims(claims: TokenClaims): Promise<Actor> {
      // Only someone holding the secret can sign a token, but a bad subject must still be a 401.
      if (typeof claims.sub !== 'string' || !isUuid(claims.sub)) throw new Errors.unauthorized('Token revoked');
      if (claims.sid !== undefined) {
        // A sign-in: its row decides (signed out, signed out everywhere, password changed, expired).
        const user = typeof claims.sid === 'string' && isUuid(claims.sid) ? await findSessionUser(claims.sid, claims.sub, app.now()) : undefined;
        if (!user) throw new Errors.unauthorized('Token revoked');
        return { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: claims.sid };
      }
      const user = await findUser(claims.sub);
      // A deleted user, a logout or a password change all leave the token's version behind.
      if (!user || user.tokenVersion !== claims.tv) throw new Errors.unauthorized('Token revoked');
      return { id: user.id, email: user.email, name: user.name, role: user.role };
    }
  },
  { name: 'auth', dependencies: ['context'] },
);
