import { index, pgTable, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.js';
import { users } from './users.js';

/**
 * One row per sign-in (API login or console). A session token (JWT) names its row by `sid`, so
 * signing out ends that sign-in alone; the row's expiry is the token's. A deleted user takes
 * their sessions along.
 */
export const sessions = pgTable(
  'sessions',
  {
    /** Chosen before the token is signed: the token carries it. */
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  // "End all of this user's sessions" finds them by user; verification goes by the primary key.
  (t) => [index('sessions_user_idx').on(t.userId)],
);
