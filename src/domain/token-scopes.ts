import { roleAtLeast, type Role } from './vocabulary.js';

/**
 * What an API token may do. Tokens are for automation: none may ever manage users or tokens,
 * whatever its scopes and whoever created it.
 *
 * - `read`: every GET a viewer may make on the admin API.
 * - `write`: what a responder may do (incidents, notes, maintenance, components' status,
 *   templates), and everything `read` allows.
 * - `ingest`: only the alert intake (`/api/ingest/*`); nothing on the admin API.
 */
export const TOKEN_SCOPES = ['ingest', 'write', 'read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Every API token starts with this, so the auth plugin tells it from a JWT without parsing. */
export const API_TOKEN_PREFIX = 'hg_';

/** Whether a token holding `scopes` may call a route that needs `needed`. */
export function scopeAllows(scopes: readonly TokenScope[], needed: TokenScope): boolean {
  if (scopes.includes(needed)) return true;
  // Writing implies reading; ingest stands alone in both directions.
  return needed === 'read' && scopes.includes('write');
}

/**
 * The role a token acts with: what its scopes give (`write` and `ingest` a responder, since
 * both open incidents; `read` a viewer), never more than the user who created it has now, and
 * never owner. The scope check comes first, so an `ingest` token still cannot write through
 * the admin API.
 */
export function tokenRole(scopes: readonly TokenScope[], creatorRole: Role): Role {
  const granted: Role = scopes.includes('write') || scopes.includes('ingest') ? 'responder' : 'viewer';
  return roleAtLeast(creatorRole, granted) ? granted : creatorRole;
}

/** The scope a route needs by default: reading for GET and HEAD, writing for the rest. */
export function defaultScopeFor(method: string): TokenScope {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}
