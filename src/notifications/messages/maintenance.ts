/**
 * What subscribers receive when a maintenance is scheduled, starts and completes: a mail
 * (subject, plain text, HTML) and a Statuspage-shaped webhook payload. Pure: the outbox that
 * delivers them calls these builders (see the maintenance module's lifecycle).
 */
import type { Site } from '../../core/site.js';
import type { ComponentRow, MaintenanceRow, MaintenanceUpdateRow } from '../../db/rows.js';
import { escapeHtml } from '../../text/html.js';
import type { SiteNow } from '../../core/site.js';
import { windowLabel } from '../../domain/maintenance-window.js';
import type { OverallStatus } from '../../domain/status.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import { htmlDocument } from './mail-layout.js';
import { v2Maintenance } from '../../statuspage/maintenances.js';
import { statuspagePage, webhookMeta } from '../../statuspage/webhooks.js';
import type { V2MaintenanceView } from '../../statuspage/schemas.js';

export const MAINTENANCE_EVENTS = ['maintenance.scheduled', 'maintenance.started', 'maintenance.completed'] as const;
export type MaintenanceEvent = (typeof MAINTENANCE_EVENTS)[number];

export interface MaintenanceNotificationInput {
  event: MaintenanceEvent;
  maintenance: MaintenanceRow;
  /** The components it covers: subscribers to any of them (or to everything) hear of it. */
  components: ComponentRow[];
  /** Its updates, newest first; the newest is the message of this event. */
  updates: MaintenanceUpdateRow[];
  /** The page's headline after the event, for the webhook's `page` block. */
  status: OverallStatus;
}

export interface MaintenanceNotification {
  event: MaintenanceEvent;
  maintenanceId: string;
  componentIds: string[];
  subject: string;
  text: string;
  html: string;
  webhook: {
    /** Per subscriber: the delivery worker fills in each one's unsubscribe link. */
    meta: ReturnType<typeof webhookMeta>;
    page: { id: string; status_indicator: string; status_description: string };
    incident: V2MaintenanceView;
  };
}

const HEADLINE: Record<MaintenanceEvent, string> = {
  'maintenance.scheduled': 'Scheduled maintenance',
  'maintenance.started': 'Maintenance in progress',
  'maintenance.completed': 'Maintenance completed',
};

/** The announcement of `input.event` as `site` words it, at `now` (the webhook's v2 object carries it). */
export function buildMaintenanceNotification(input: MaintenanceNotificationInput, site: Site, now: Date): MaintenanceNotification {
  const ctx: SiteNow = { ...site, now };
  const m = input.maintenance;
  const url = `${ctx.publicUrl}/maintenances/${m.id}`;
  const headline = HEADLINE[input.event];
  const window = windowLabel(m, ctx.timeZone);
  const names = input.components.map((c) => c.name);
  const latest = input.updates[0] ?? m;
  const message = latest.body;
  // Rendered and sanitised when written, like every body on the page: nothing to parse here.
  const messageHtml = storedMarkdownHtml({ id: latest.id, source: latest.body, html: latest.bodyHtml });
  const subject = `[${ctx.pageName}] ${headline}: ${m.title}`;
  const text = [
    `${headline}: ${m.title}`,
    '',
    `When: ${window}`,
    ...(names.length > 0 ? [`Affected: ${names.join(', ')}`] : []),
    '',
    message,
    '',
    `Details: ${url}`,
  ].join('\n');
  // The shared frame: the delivery worker adds the unsubscribe footer before its </body>.
  const html = htmlDocument(subject, [
    `<h1>${escapeHtml(headline)}: ${escapeHtml(m.title)}</h1>`,
    `<p><strong>When:</strong> ${escapeHtml(window)}</p>`,
    ...(names.length > 0 ? [`<p><strong>Affected:</strong> ${escapeHtml(names.join(', '))}</p>`] : []),
    messageHtml,
    `<p><a href="${escapeHtml(url)}">Details on ${escapeHtml(ctx.pageName)}</a></p>`,
  ].join('\n'));
  const data = {
    components: input.components,
    groups: [],
    incidents: [],
    updates: [],
    statusChanges: [],
    maintenances: [m],
    maintenanceUpdates: input.updates,
    maintenanceComponents: new Map([[m.id, input.components.map((c) => c.id)]]),
    postmortemsPublished: new Set<string>(),
  };
  return {
    event: input.event,
    maintenanceId: m.id,
    componentIds: input.components.map((c) => c.id),
    subject,
    text,
    html,
    webhook: {
      meta: webhookMeta(ctx),
      page: statuspagePage(input.status, ctx),
      incident: v2Maintenance(m, data, ctx),
    },
  };
}
