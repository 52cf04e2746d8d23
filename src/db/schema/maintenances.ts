import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { MAINTENANCE_STATUSES } from '../../domain/vocabulary.js';
import { id, instant, sqlList, timestamps } from './columns.js';
import { components } from './components.js';
import { users } from './users.js';

/** Planned work announced ahead: a window, the components it touches, and where it stands. */
export const maintenances = pgTable(
  'maintenances',
  {
    id: id(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** `body` rendered and sanitised when written; null on rows written before it was kept. */
    bodyHtml: text('body_html'),
    status: text('status', { enum: MAINTENANCE_STATUSES }).notNull().default('scheduled'),
    scheduledFor: instant('scheduled_for').notNull(),
    scheduledUntil: instant('scheduled_until').notNull(),
    autoStart: boolean('auto_start').notNull().default(true),
    autoComplete: boolean('auto_complete').notNull().default(true),
    startedAt: instant('started_at'),
    verifyingAt: instant('verifying_at'),
    completedAt: instant('completed_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    // The scheduler's two questions: which scheduled ones start, which running ones end.
    index('maintenances_status_for_idx').on(t.status, t.scheduledFor),
    index('maintenances_status_until_idx').on(t.status, t.scheduledUntil),
    check('maintenances_status_check', sql.raw(`status IN (${sqlList(MAINTENANCE_STATUSES)})`)),
    check('maintenances_window_check', sql`${t.scheduledFor} < ${t.scheduledUntil}`),
  ],
);

export const maintenanceComponents = pgTable(
  'maintenance_components',
  {
    maintenanceId: uuid('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    componentId: uuid('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.maintenanceId, t.componentId] }), index('maintenance_components_component_idx').on(t.componentId)],
);

/** The public timeline of a maintenance: one row per status it reached, with the message shown. */
export const maintenanceUpdates = pgTable(
  'maintenance_updates',
  {
    id: id(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    maintenanceId: uuid('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    status: text('status', { enum: MAINTENANCE_STATUSES }).notNull(),
    body: text('body').notNull(),
    /** `body` rendered and sanitised when written; null on rows written before it was kept. */
    bodyHtml: text('body_html'),
    /** Null when the scheduler made the change. */
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    index('maintenance_updates_maintenance_idx').on(t.maintenanceId, t.createdAt),
    check('maintenance_updates_status_check', sql.raw(`status IN (${sqlList(MAINTENANCE_STATUSES)})`)),
  ],
);
