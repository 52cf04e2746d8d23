/**
 * Statuspage's webhook payloads, built from the same presenters as the v2 API: a handler written
 * for Statuspage's webhooks reads ours, and an incident in a webhook is the incident
 * `/api/v2/incidents.json` serves (same ids, every update, the same component states), plus the
 * fields Statuspage's webhook adds (postmortem and scheduling fields, `backfilled`).
 */
import type { SiteNow } from '../core/site.js';
import type { OverallStatus } from '../domain/status.js';
import type { IncidentRow } from '../db/rows.js';
import { isoInZone } from '../text/zoned-iso.js';
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
  /** Where a receiver of the page's webhooks learns what they carry. */
  documentationUrl: string;
  postmortem?: WebhookPostmortem | null;
}

export function statuspagePage(page: OverallStatus, ctx: SiteNow) {
  return { id: pageIdFor(ctx.publicUrl), status_indicator: v2Indicator(page.indicator), status_description: page.description };
}

/** `{ meta, page, incident }`: an incident created, updated, resolved, or its postmortem published. */
export function statuspageIncidentEvent(input: IncidentEventInput) {
  const { incident, data, ctx, postmortem } = input;
  const tz = ctx.timeZone;
  const at = (date: Date | null | undefined) => (date ? isoInZone(date, tz) : null);
  const v2 = v2Incident(incident, data, ctx);
  return {
    meta: {
      // Webhook receivers are added by the page's owner, who removes them: no link to follow.
      unsubscribe: null,
      documentation: input.documentationUrl,
      generated_at: isoInZone(ctx.now, tz),
    },
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
