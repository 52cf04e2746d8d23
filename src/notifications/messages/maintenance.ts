/**
 * What subscribers receive when a maintenance is scheduled, starts and completes: a mail
 * (subject, plain text, HTML) and a Statuspage-shaped webhook payload. Pure: the outbox that
 * delivers them calls these builders (see the maintenance module's lifecycle).
 */
import type { Site } from '../../core/site.js';
import type { ComponentRow, MaintenanceRow, MaintenanceUpdateRow } from '../../db/rows.js';
import { escapeHtml } from '../../text/html.js';
import type { SiteNow } from '../../core/site.js';
import { LANGUAGES } from '../../domain/languages.js';
import { translator, type Translator } from '../../i18n/translator.js';
import type { RenderedMail } from '../outbox.js';
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
  /** The mail in each shipped language; `subject`, `text` and `html` are the English one. */
  localizedMails: Partial<Record<string, RenderedMail>>;
  webhook: {
    /** Per subscriber: the delivery worker fills in each one's unsubscribe link. */
    meta: ReturnType<typeof webhookMeta>;
    page: { id: string; status_indicator: string; status_description: string };
    incident: V2MaintenanceView;
  };
}

/** The mail of `input.event` in one language. */
function maintenanceMail(input: MaintenanceNotificationInput, site: Site, i18n: Translator): RenderedMail {
  const { t } = i18n;
  const m = input.maintenance;
  const url = `${site.publicUrl}/maintenances/${m.id}`;
  const headline = t(`mail.${input.event}`);
  const window = i18n.window(m, site.timeZone);
  const names = input.components.map((c) => c.name);
  const latest = input.updates[0] ?? m;
  const message = latest.body;
  // Rendered and sanitised when written, like every body on the page: nothing to parse here.
  const messageHtml = storedMarkdownHtml({ id: latest.id, source: latest.body, html: latest.bodyHtml });
  const subject = t('mail.maintenanceSubject', { pageName: site.pageName, headline, title: m.title });
  const heading = t('mail.maintenanceHeadline', { headline, title: m.title });
  const text = [
    heading,
    '',
    `${t('mail.when')} ${window}`,
    ...(names.length > 0 ? [`${t('mail.affected')} ${names.join(', ')}`] : []),
    '',
    message,
    '',
    t('mail.detailsText', { url }),
  ].join('\n');
  // The shared frame: the delivery worker adds the unsubscribe footer before its </body>.
  const html = htmlDocument(
    subject,
    [
      `<h1>${escapeHtml(heading)}</h1>`,
      `<p><strong>${escapeHtml(t('mail.when'))}</strong> ${escapeHtml(window)}</p>`,
      ...(names.length > 0 ? [`<p><strong>${escapeHtml(t('mail.affected'))}</strong> ${escapeHtml(names.join(', '))}</p>`] : []),
      messageHtml,
      `<p><a href="${escapeHtml(url)}">${escapeHtml(t('mail.detailsHtml', { pageName: site.pageName }))}</a></p>`,
    ].join('\n'),
    i18n.lang,
  );
  return { subject, text, html };
}

/** The announcement of `input.event` as `site` words it, at `now` (the webhook's v2 object carries it). */
export function buildMaintenanceNotification(input: MaintenanceNotificationInput, site: Site, now: Date): MaintenanceNotification {
  const ctx: SiteNow = { ...site, now };
  const m = input.maintenance;
  const { subject, text, html } = maintenanceMail(input, site, translator('en'));
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
    html: html!,
    localizedMails: Object.fromEntries(LANGUAGES.map((lang) => [lang, maintenanceMail(input, site, translator(lang))])),
    webhook: {
      meta: webhookMeta(ctx),
      page: statuspagePage(input.status, ctx),
      incident: v2Maintenance(m, data, ctx),
    },
  };
}
