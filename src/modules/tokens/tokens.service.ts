import { createHash, randomBytes } from 'node:crypto';
import { API_TOKEN_PREFIX } from '../../domain/token-scopes.js';
import { Errors } from '../../core/errors.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
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

export async function listTokens(ctx: SystemContext): Promise<ApiTokenView[]> {
  return (await repo.listTokens(ctx.db)).map(toTokenView);
}

/** Creates a token acting for the context's actor; the answer is the only time the token itself is seen. */
export async function createToken(ctx: ServiceContext, input: CreateTokenInput): Promise<CreatedTokenView> {
  const now = ctx.clock();
  const token = generateToken();
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertToken(tx, {
      name: input.name,
      scopes: input.scopes,
      tokenHash: hashToken(token),
      displayPrefix: token.slice(0, DISPLAY_LENGTH),
      createdBy: ctx.actor.id,
      createdAt: now,
    });
    const view = toTokenView(row);
    await recordAudit(tx, ctx.actor, { action: 'token.create', targetType: 'api_token', targetId: row.id, after: view }, now);
    return { ...view, token };
  });
}

/** Revokes a token at once; revoking one already revoked changes nothing. */
export async function revokeToken(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const before = await repo.findTokenById(tx, id);
    if (!before) throw new Errors.notFound('API token', id);
    const revoked = await repo.revokeToken(tx, id, now);
    if (revoked) {
      await recordAudit(tx, ctx.actor, { action: 'token.revoke', targetType: 'api_token', targetId: id, before: toTokenView(before) }, now);
    }
  });
}
