import { integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { ActionItem, TimelineEntry } from '../../domain/postmortem.js';
import { instant, timestamps } from './columns.js';
import { incidents } from './incidents.js';
import { users } from './users.js';

/** One per incident. Blameless by template: systems and decisions, not people at fault. */
export const postmortems = pgTable('postmortems', {
  incidentId: uuid('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  summary: text('summary').notNull(),
  /** Null until the author saves one: the admin API then offers a prefill built from updates and notes. */
  timeline: jsonb('timeline').$type<TimelineEntry[]>(),
  rootCause: text('root_cause').notNull().default(''),
  whys: jsonb('whys').$type<string[]>().notNull().default([]),
  contributingFactors: jsonb('contributing_factors').$type<string[]>().notNull().default([]),
  actionItems: jsonb('action_items').$type<ActionItem[]>().notNull().default([]),
  /**
   * Rendered and sanitised when saved: the summary and root cause as the page shows them, and
   * the whole public text as the feed and the mail carry it. Null on rows saved before.
   */
  summaryHtml: text('summary_html'),
  rootCauseHtml: text('root_cause_html'),
  publicHtml: text('public_html'),
  /** First publication; later edits show at once and move `updatedAt` only. */
  publishedAt: instant('published_at'),
  /** Bumped by every save: the admin API's ETag, which `If-Match` and the console's form echo. */
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  ...timestamps,
});
