import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { id, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Which incident an Alertmanager alert group (its `groupKey`) opened. A group whose incident
 * is resolved opens a new one on its next firing, so one key may have several rows.
 */
export const alertGroups = pgTable(
  'alert_groups',
  {
    id: id(),
    groupKey: text('group_key').notNull(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    receiver: text('receiver').notNull(),
    /** Fingerprints of the group's alerts firing as of the last post. */
    firing: jsonb('firing').$type<string[]>().notNull().default([]),
    createdAt: instant('created_at').notNull(),
    lastReceivedAt: instant('last_received_at').notNull(),
  },
  (t) => [index('alert_groups_key_idx').on(t.groupKey, t.createdAt)],
);
