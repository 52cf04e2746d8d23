import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { REMINDER_KINDS } from '../../domain/reminders.js';
import { id, instant, sqlList } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Reminders sent to incident responders. The unique key is the claim: of several server
 * processes ticking at once, only the one whose insert lands sends the reminder.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: id(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: REMINDER_KINDS }).notNull(),
    dueAt: instant('due_at').notNull(),
    /** Email addresses the reminder went to. */
    recipients: jsonb('recipients').$type<string[]>().notNull().default([]),
    sentAt: instant('sent_at').notNull(),
  },
  (t) => [
    unique('reminders_claim_key').on(t.incidentId, t.kind, t.dueAt),
    index('reminders_incident_idx').on(t.incidentId, t.sentAt),
    check('reminders_kind_check', sql.raw(`kind IN (${sqlList(REMINDER_KINDS)})`)),
  ],
);
