import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import {
  IMPACTS,
  INCIDENT_STATUSES,
  SEVERITIES,
  UPDATE_KINDS,
  type ComponentStatus,
} from '../../domain/vocabulary.js';
import { id, instant, sqlList, timestamps } from './columns.js';
import { users } from './users.js';

/** An update's message in another language: its Markdown, and the HTML rendered from it when written. */
export type UpdateTranslations = Partial<Record<string, { markdown: string; html: string }>>;

const userRef = (name: string) => uuid(name).references(() => users.id, { onDelete: 'set null' });

export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    title: text('title').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    impactOverride: text('impact_override', { enum: IMPACTS }),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    draft: boolean('draft').notNull().default(false),
    startedAt: instant('started_at').notNull(),
    detectedAt: instant('detected_at').notNull(),
    acknowledgedAt: instant('acknowledged_at'),
    mitigatedAt: instant('mitigated_at'),
    resolvedAt: instant('resolved_at'),
    postmortemDueAt: instant('postmortem_due_at'),
    commanderId: userRef('commander_id'),
    techLeadId: userRef('tech_lead_id'),
    commsLeadId: userRef('comms_lead_id'),
    scribeId: userRef('scribe_id'),
    createdBy: userRef('created_by'),
    /** Optimistic concurrency: the ETag of the admin representation, checked by If-Match. */
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('incidents_open_idx').on(t.resolvedAt),
    index('incidents_started_idx').on(t.startedAt),
    check('incidents_severity_check', sql.raw(`severity IN (${sqlList(SEVERITIES)})`)),
    check('incidents_status_check', sql.raw(`status IN (${sqlList(INCIDENT_STATUSES)})`)),
    check(
      'incidents_impact_override_check',
      sql.raw(`impact_override IS NULL OR impact_override IN (${sqlList(IMPACTS)})`),
    ),
  ],
);

/** Append-only: a correction is a new update. `publishedAt` is null while the incident is a draft. */
export const incidentUpdates = pgTable(
  'incident_updates',
  {
    id: id(),
    /** Insertion order: two updates in the same millisecond still have a defined order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    body: text('body').notNull(),
    /** `body` rendered and sanitised when written; null on rows written before it was kept. */
    bodyHtml: text('body_html'),
    /** The message in other languages, by language (src/domain/languages.ts), each rendered when written like `body`. */
    translations: jsonb('translations').$type<UpdateTranslations>().notNull().default({}),
    componentStatuses: jsonb('component_statuses')
      .$type<Record<string, ComponentStatus>>()
      .notNull()
      .default({}),
    notify: boolean('notify').notNull().default(true),
    kind: text('kind', { enum: UPDATE_KINDS }).notNull().default('update'),
    /** The resolution announcement's plain-language summary. */
    summary: text('summary'),
    authorId: userRef('author_id'),
    createdAt: instant('created_at').notNull(),
    publishedAt: instant('published_at'),
  },
  (t) => [
    index('incident_updates_incident_idx').on(t.incidentId, t.createdAt),
    index('incident_updates_published_idx').on(t.publishedAt),
    check('incident_updates_status_check', sql.raw(`status IN (${sqlList(INCIDENT_STATUSES)})`)),
    check('incident_updates_kind_check', sql.raw(`kind IN (${sqlList(UPDATE_KINDS)})`)),
  ],
);

/** The scribe's internal timeline. Never public. */
export const incidentNotes = pgTable(
  'incident_notes',
  {
    id: id(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    authorId: userRef('author_id'),
    at: instant('at').notNull(),
    text: text('text').notNull(),
    /** `text` rendered and sanitised when written. */
    textHtml: text('text_html'),
  },
  (t) => [index('incident_notes_incident_idx').on(t.incidentId, t.at)],
);
