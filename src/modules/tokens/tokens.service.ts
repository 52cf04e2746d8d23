import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { API_TOKEN_PREFIX } from '../../domain/token-scopes.js';
import { Errors } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './tokens.repo.js';
import type { ApiTokenView, CreatedTokenView, CreateTokenInput } from './tokens.schemas.js';

/** Characters of the token shown in lists: the prefix and 8 of its 43 random characters. */
const DISPLAY_LENGTH = API_TOKEN_PREFIX.length + 8;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `hg_` and 256 random bits in base64url: the whole token is the secret. */
export function generateToken(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function toTokenView(row: repo.ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    prefix: row.displayPrefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listTokens(db: Db): Promise<ApiTokenView[]> {
  return (await repo.listTokens(db)).map(toTokenView);
}

/** Creates a token acting for `actor`; the answer is the only time the token itself is seen. */
export async function createToken(db: Db, input: CreateTokenInput, actor: Actor, now: Date): Promise<CreatedTokenView> {
  const token = generateToken();
  return db.transaction(async (tx) => {
    const row = await repo.insertToken(tx, {
      name: input.name,
      scopes: input.scopes,
      tokenHash: hashToken(token),
      displayPrefix: token.slice(0, DISPLAY_LENGTH),
      createdBy: actor.id,
      createdAt: now,
    });
    const view = toTokenView(row);
    await recordAudit(tx, actor, { action: 'token.create', targetType: 'api_token', targetId: row.id, after: view });
    return { ...view, token };
  });
}

/** Revokes a token at once; revoking one already revoked changes nothing. */
export async function revokeToken(db: Db, id: string, actor: Actor, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await repo.findTokenById(tx, id);
    if (!before) throw new Errors.notFound('API token', id);
    const revoked = await repo.revokeToken(tx, id, now);
    if (revoked) {
      await recordAudit(tx, actor, { action: 'token.revoke', targetType: 'api_token', targetId: id, before: toTokenView(before) });
    }
  });
}
