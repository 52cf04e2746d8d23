import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { TokenScope } from '../../domain/token-scopes.js';
import { id, instant } from './columns.js';
import { users } from './users.js';

/**
 * Named, scoped tokens for automation. Only a hash of the secret is kept: the token itself is
 * shown once, at creation. Revoked tokens stay, so the audit log can still name them.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    name: text('name').notNull(),
    scopes: text('scopes').array().$type<TokenScope[]>().notNull(),
    /** SHA-256 of the whole token, hex: the token is 256 random bits, so no slow hash is needed. */
    tokenHash: text('token_hash').notNull(),
    /** The token's first characters, to recognise it in a list (`hg_AbCd1234…`). */
    displayPrefix: text('display_prefix').notNull(),
    /** The owner the token acts for. A deleted creator leaves the token dead (null). */
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: instant('created_at').notNull(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_created_idx').on(t.createdAt)],
);
