import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import * as repo from './sessions.repo.js';

/** A signed token for a new session: the plugin that signs tokens hands this in. */
export type SignSessionToken = (claims: { sub: string; tv: number; sid: string }) => { token: string; lifetimeSeconds: number };

export interface StartedSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * Starts a session for a user who just proved who they are: a row, then a token naming it. The
 * row's expiry is the token's lifetime counted on the app's clock, so a test's moved clock and
 * the session agree.
 */
export async function startSession(
  ctx: SystemContext,
  user: { id: string; tokenVersion: number },
  sign: SignSessionToken,
): Promise<StartedSession> {
  const now = ctx.clock();
  const sessionId = randomUUID();
  const { token, lifetimeSeconds } = sign({ sub: user.id, tv: user.tokenVersion, sid: sessionId });
  const expiresAt = new Date(now.getTime() + lifetimeSeconds * 1000);
  await repo.insertSession(ctx.db, { id: sessionId, userId: user.id, createdAt: now, expiresAt });
  return { token, sessionId, expiresAt };
}

/** The user a live session belongs to, or undefined when it is unknown, revoked or expired. */
export async function liveSessionUser(db: DbOrTx, sessionId: string, userId: string, now: Date) {
  const found = await repo.findSessionWithUser(db, sessionId);
  if (!found || found.user.id !== userId) return undefined;
  if (found.session.revokedAt || found.session.expiresAt <= now) return undefined;
  return found.user;
}

/** Signing out: ends the calling session only. */
export async function endSession(ctx: ServiceContext, sessionId: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    await repo.revokeSession(tx, sessionId, now);
    await recordAudit(tx, ctx.actor, { action: 'user.logout', targetType: 'user', targetId: ctx.actor.id }, now);
  });
}

/** Ends every session of a user, or every one but `keep`; used inside the caller's transaction. */
export async function endUserSessions(tx: DbOrTx, userId: string, now: Date, keep?: string): Promise<number> {
  return repo.revokeUserSessions(tx, userId, now, keep);
}
