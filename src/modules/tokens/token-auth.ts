import type { Db } from '../../db/client.js';
import { API_TOKEN_PREFIX, tokenRole } from '../../domain/token-scopes.js';
import { Errors } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';
import { findUserById } from '../users/index.js';
import * as repo from './tokens.repo.js';
import { hashToken } from './tokens.service.js';

/** `Authorization: Bearer hg_…`: the token, or null when the header carries something else. */
export function bearerApiToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1]?.startsWith(API_TOKEN_PREFIX) ? match[1] : null;
}

/** How often a token's `lastUsedAt` is written: often enough to tell a live token from a dead one. */
const LAST_USED_GAP_MS = 60_000;

/**
 * Resolves an API token to the actor it acts as: its creator, with the role its scopes allow
 * (never more than the creator's own). An unknown, revoked or orphaned token is a 401.
 * `lastUsed` remembers this process's stamps, so most requests write nothing.
 */
export async function actorForApiToken(db: Db, token: string, now: Date, lastUsed: Map<string, number>): Promise<Actor> {
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
