/**
 * Statuspage's webhook payloads, built from the same presenters as the v2 API: a handler written
 * for Statuspage's webhooks reads ours, and an incident in a webhook is the incident
 * `/api/v2/incidents.json` serves (same ids, every update, the same component states), plus the
 * fields Statuspage's webhook adds (postmortem and scheduling fields, `backfilled`).
 */
import type { SiteNow } from '../core/site.js';
import type { OverallStatus } from '../domain/status.js';
import type { ComponentRow, IncidentRow } from '../db/rows.js';
import type { ComponentStatus } from '../domain/vocabulary.js';
import { isoInZone } from '../text/zoned-iso.js';
import { componentRow } from './components.js';
import { v2Incident } from './incidents.js';
import { pageIdFor, v2Indicator, type V2Data } from './page.js';

/** A published postmortem, as its webhook fields tell it. */
export interface WebhookPostmortem {
  /** The public text, as subscribers read it (Markdown). */
  body: string;
  publishedAt: Date;
  updatedAt: Date;
}

export interface IncidentEventInput {
  incident: IncidentRow;
  /** At least this incident, its published updates, its status changes and every component. */
  data: V2Data;
  ctx: SiteNow;
  /** The page's headline as the event leaves. */
  page: OverallStatus;
  postmortem?: WebhookPostmortem | null;
}

export function statuspagePage(page: OverallStatus, ctx: SiteNow) {
  return { id: pageIdFor(ctx.publicUrl), status_indicator: v2Indicator(page.indicator), status_description: page.description };
}

/** Where a receiver of our webhooks reads what they carry: the page's API documentation. */
export function webhookDocumentationUrl(publicUrl: string): string {
  return `${publicUrl}/docs`;
}

/**
 * Every event's `meta`. `unsubscribe` is each receiver's own link, so it is left null here and
 * filled in by the delivery worker as it sends (`withUnsubscribeLink`), as a mail's footer is.
 */
export function webhookMeta(ctx: SiteNow) {
  return { unsubscribe: null as string | null, documentation: webhookDocumentationUrl(ctx.publicUrl), generated_at: isoInZone(ctx.now, ctx.timeZone) };
}

/** An event as one receiver gets it: its `meta.unsubscribe` set to that receiver's link. */
export function withUnsubscribeLink(event: unknown, unsubscribeUrl: string): unknown {
  if (typeof event !== 'object' || event === null || !('meta' in event)) return event;
  const { meta } = event as { meta: Record<string, unknown> };
  return { ...event, meta: { ...meta, unsubscribe: unsubscribeUrl } };
}

export interface ComponentEventInput {
  /** The component after the change. */
  component: ComponentRow;
  change: { id: string; oldStatus: ComponentStatus; newStatus: ComponentStatus; at: Date };
  ctx: SiteNow;
  /** The page's headline once the change is made. */
  page: OverallStatus;
}

/**
 * `{ meta, page, component_update, component }`: one component's status changed. The component is
 * the one `/api/v2/components.json` serves; `component_update.id` is the change's own id.
 */
export function statuspageComponentEvent(input: ComponentEventInput) {
  const { component, change, ctx } = input;
  const pageId = pageIdFor(ctx.publicUrl);
  return {
    meta: webhookMeta(ctx),
    page: statuspagePage(input.page, ctx),
    component_update: {
      created_at: isoInZone(change.at, ctx.timeZone),
      new_status: change.newStatus,
      old_status: change.oldStatus,
      id: change.id,
      component_id: component.id,
      component_type: 'Component',
    },
    component: componentRow(component, ctx, pageId),
  };
}

/** `{ meta, page, incident }`: an incident created, updated, resolved, or its postmortem published. */
export function statuspageIncidentEvent(input: IncidentEventInput) {
  const { incident, data, ctx, postmortem } = input;
  const tz = ctx.timeZone;
  const at = (date: Date | null | undefined) => (date ? isoInZone(date, tz) : null);
  const v2 = v2Incident(incident, data, ctx);
  return {
    meta: webhookMeta(ctx),
    page: statuspagePage(input.page, ctx),
    incident: {
      ...v2,
      // Statuspage's webhook updates carry its tweet fields; we post no tweets.
      incident_updates: v2.incident_updates.map((u) => ({ ...u, wants_twitter_update: false, twitter_updated_at: null, custom_tweet: null })),
      impact_override: incident.impactOverride,
      backfilled: false,
      postmortem_ignored: false,
      postmortem_body: postmortem?.body ?? null,
      postmortem_body_last_updated_at: at(postmortem?.updatedAt),
      postmortem_published_at: at(postmortem?.publishedAt),
      postmortem_notified_subscribers: Boolean(postmortem),
      postmortem_notified_twitter: false,
      scheduled_for: null,
      scheduled_until: null,
      scheduled_remind_prior: false,
      scheduled_reminded_at: null,
      scheduled_auto_in_progress: false,
      scheduled_auto_completed: false,
    },
  };
}
