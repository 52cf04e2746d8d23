import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { SEVERITIES, type ComponentStatus } from '../../domain/vocabulary.js';
import { id, sqlList, timestamps } from './columns.js';

/** Canned incidents: open one in one call, its text filled by plain placeholder substitution. */
export const incidentTemplates = pgTable(
  'incident_templates',
  {
    id: id(),
    name: text('name').notNull(),
    title: text('title').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring'] }).notNull(),
    message: text('message').notNull(),
    componentStatuses: jsonb('component_statuses').$type<Record<string, ComponentStatus>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('incident_templates_name_key').on(sql`lower(${t.name})`),
    check('incident_templates_severity_check', sql.raw(`severity IN (${sqlList(SEVERITIES)})`)),
    check('incident_templates_status_check', sql.raw(`status IN ('investigating', 'identified', 'monitoring')`)),
  ],
);
