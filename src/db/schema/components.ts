import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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
    ...timestamps,
  },
  (t) => [
    index('components_group_idx').on(t.groupId),
    check('components_status_check', sql.raw(`status IN (${sqlList(COMPONENT_STATUSES)})`)),
  ],
);

/** Every status a component has had: uptime history is computed from it. */
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
