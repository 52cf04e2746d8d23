import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.js';
import { apiTokens } from './api-tokens.js';
import { users } from './users.js';

/** Who changed what, when: one row for every write through the admin API. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The API token the actor acted through; null for a signed-in session. */
    tokenId: uuid('token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    at: instant('at').notNull(),
  },
  (t) => [
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    // GET /api/admin/audit pages newest first by (at, id): a backward walk of this index, not a sort of the log.
    index('audit_log_at_idx').on(t.at, t.id),
  ],
);
