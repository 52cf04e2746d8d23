import type { Db } from '../../db/client.js';
import { tokenRole } from '../../domain/token-scopes.js';
import { Errors } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';
import { findUserById } from '../users/index.js';
import * as repo from './tokens.repo.js';
import { hashToken } from './tokens.service.js';

/** How often a token's `lastUsedAt` is written: often enough to tell a live token from a dead one. */
const LAST_USED_GAP_MS = 60_000;

/**
 * Resolves an API token to the actor it acts as: its creator, with the role its scopes allow
 * (never more than the creator's own). An unknown, revoked or orphaned token is a 401.
 * `lastUsed` remembers this process's stamps, so most requests write nothing.
 */
async function actorForApiToken(db: Db, token: string, now: Date, lastUsed: Map<string, number>): Promise<Actor> {
  const row = await repo.findTokenByHash(db, hashToken(token));
  if (!row || row.revokedAt) throw new Errors.unauthorized('API token unknown or revoked');
  const user = row.createdBy ? await findUserById(db, row.createdBy) : undefined;
  if (!user) throw new Errors.unauthorized('API token revoked: the user who created it is gone');
  const stamped = lastUsed.get(row.id);
  if (stamped === undefined || now.getTime() - stamped >= LAST_USED_GAP_MS) {
    lastUsed.set(row.id, now.getTime());
    await repo.touchToken(db, row.id, now, LAST_USED_GAP_MS);
  }
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: tokenRole(row.scopes, user.role),
    token: { id: row.id, name: row.name, scopes: row.scopes },
  };
}

/** What the auth plugin calls for an API token, with this process's memory of last-use stamps. */
export function apiTokenAuthenticator(db: Db): (token: string, now: Date) => Promise<Actor> {
  const lastUsed = new Map<string, number>();
  return (token, now) => actorForApiToken(db, token, now, lastUsed);
}
