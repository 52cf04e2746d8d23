import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { DAY_MS } from '../../domain/utc-days.js';
import { COMPONENT_STATUSES } from '../../domain/vocabulary.js';
import { id, instant, sqlList, timestamps } from './columns.js';
import { users } from './users.js';

export const componentGroups = pgTable('component_groups', {
  id: id(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  ...timestamps,
});

export const components = pgTable(
  'components',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    groupId: uuid('group_id').references(() => componentGroups.id, { onDelete: 'set null' }),
    position: integer('position').notNull().default(0),
    status: text('status', { enum: COMPONENT_STATUSES }).notNull().default('operational'),
    showcase: boolean('showcase').notNull().default(true),
    /**
     * Moved on by every status change recorded for the component, in the change's transaction:
     * a reader holding the component's uptime days (the public page's) reads them again only
     * when this has moved, whichever process made the change.
     */
    uptimeRevision: integer('uptime_revision').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    index('components_group_idx').on(t.groupId),
    check('components_status_check', sql.raw(`status IN (${sqlList(COMPONENT_STATUSES)})`)),
  ],
);

/** Every status a component has had; its uptime days (below) are kept from it as it is written. */
export const componentStatusChanges = pgTable(
  'component_status_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    componentId: uuid('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status', { enum: COMPONENT_STATUSES }),
    toStatus: text('to_status', { enum: COMPONENT_STATUSES }).notNull(),
    /** The incident whose update made the change, when one did. */
    incidentId: uuid('incident_id'),
    /** The maintenance that started or ended, when one did: its time is not downtime. */
    maintenanceId: uuid('maintenance_id'),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    changedAt: instant('changed_at').notNull(),
  },
  (t) => [index('component_status_changes_component_idx').on(t.componentId, t.changedAt)],
);

/**
 * Each component's milliseconds in each status per UTC day, kept by the write that records a
 * status change, so the uptime bars read at most 90 rows per component instead of the history.
 * Only closed time is here (up to the component's last change); the reader adds the open
 * interval since that change up to now. The day's worst status and its known time are sums
 * and maxima of these columns, so they are derived when read, never stored twice.
 */
export const componentUptimeDays = pgTable(
  'component_uptime_days',
  {
    componentId: uuid('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
    /** The UTC day, as YYYY-MM-DD. */
    day: date('day', { mode: 'string' }).notNull(),
    operationalMs: integer('operational_ms').notNull().default(0),
    underMaintenanceMs: integer('under_maintenance_ms').notNull().default(0),
    degradedPerformanceMs: integer('degraded_performance_ms').notNull().default(0),
    partialOutageMs: integer('partial_outage_ms').notNull().default(0),
    majorOutageMs: integer('major_outage_ms').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.componentId, t.day] }),
    // A day holds no more time than a day has: a fold that double-counts fails the write.
    check(
      'component_uptime_days_within_day',
      sql.raw(
        `operational_ms >= 0 AND under_maintenance_ms >= 0 AND degraded_performance_ms >= 0 AND partial_outage_ms >= 0 AND major_outage_ms >= 0 ` +
          `AND operational_ms + under_maintenance_ms + degraded_performance_ms + partial_outage_ms + major_outage_ms <= ${DAY_MS}`,
      ),
    ),
  ],
);
