import { componentStatusLabel, type OverallStatus } from '../../domain/status.js';
import type { ComponentStatus, Impact, IncidentStatus, Severity, UpdateKind } from '../../domain/vocabulary.js';
import { htmlToText, storedMarkdownHtml } from '../../text/markdown.js';
import { displayTime } from '../../text/time.js';
import { v2Indicator } from '../../statuspage/page.js';
import type { Notification } from '../outbox.js';
import type { Site } from '../../core/site.js';
import { escapeHtml } from '../../text/html.js';
import { htmlDocument, oneLine } from './mail-layout.js';

/**
 * The incident-update notification: mail (text and HTML) and the Statuspage-shaped webhook
 * payload. Pure: the caller loads what it needs. Maintenance and postmortem builders sit beside it.
 */

export interface IncidentFacts {
  id: string;
  title: string;
  severity: Severity;
  impact: Impact;
  impactOverride: Impact | null;
  status: IncidentStatus;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date;
  detectedAt: Date;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
}

export interface UpdateFacts {
  id: string;
  status: IncidentStatus;
  kind: UpdateKind;
  body: string;
  /** `body` as rendered when it was written. */
  bodyHtml: string | null;
  summary: string | null;
  createdAt: Date;
  publishedAt: Date;
}

export interface AffectedComponent {
  id: string;
  name: string;
  status: ComponentStatus;
}

export interface IncidentNotificationInput {
  site: Site;
  page: OverallStatus;
  incident: IncidentFacts;
  update: UpdateFacts;
  /** The components the incident touches, with the status it last set on each. */
  components: AffectedComponent[];
  /** The update published with it (a draft's publication announces the latest one). */
  kind?: string;
}

const STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

export function incidentSubject(incident: Pick<IncidentFacts, 'severity' | 'title'>, status: IncidentStatus): string {
  return oneLine(`[${incident.severity} · ${STATUS_LABEL[status]}] ${incident.title}`);
}

export const incidentUrl = (site: Site, incidentId: string) => `${site.publicUrl}/incidents/${incidentId}`;

export function buildIncidentNotification(input: IncidentNotificationInput): Notification {
  const { site, incident, update, components } = input;
  const url = incidentUrl(site, incident.id);
  const subject = incidentSubject(incident, update.status);
  const posted = displayTime(update.publishedAt, site.timeZone).text;
  const affected = components.map((c) => `${c.name} (${componentStatusLabel(c.status)})`);
  const statusLine = `${STATUS_LABEL[update.status]} · ${incident.severity}, ${incident.impact} impact`;
  // Rendered when written: building a message parses no Markdown, so it cannot fail a write.
  const bodyHtml = storedMarkdownHtml({ id: update.id, source: update.body, html: update.bodyHtml });

  const text = [
    oneLine(incident.title),
    statusLine,
    '',
    update.body.trim(),
    ...(update.summary ? ['', `Summary: ${update.summary.trim()}`] : []),
    '',
    ...(affected.length > 0 ? [`Affected: ${affected.join(', ')}`] : []),
    `Posted ${posted}`,
    '',
    `Follow the incident: ${url}`,
  ].join('\n');

  const html = htmlDocument(
    subject,
    `<h1 style="font-size:20px;margin:0 0 4px">${escapeHtml(oneLine(incident.title))}</h1>
<p style="margin:0 0 16px;color:#59636e"><strong>${escapeHtml(STATUS_LABEL[update.status])}</strong> · ${escapeHtml(incident.severity)}, ${escapeHtml(incident.impact)} impact</p>
<div>${bodyHtml}</div>
${update.summary ? `<p><strong>Summary:</strong> ${escapeHtml(update.summary)}</p>` : ''}
${affected.length > 0 ? `<p><strong>Affected:</strong> ${escapeHtml(affected.join(', '))}</p>` : ''}
<p style="color:#59636e">Posted ${escapeHtml(posted)}</p>
<p><a href="${escapeHtml(url)}">Follow the incident on ${escapeHtml(site.pageName)}</a></p>`,
  );

  return {
    kind: input.kind ?? 'incident.update',
    incidentId: incident.id,
    updateId: update.id,
    componentIds: components.map((c) => c.id),
    mail: { subject, text, html },
    webhook: incidentWebhookPayload(input),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Statuspage's webhook shape: `{ meta, page, incident }`, snake_case, with the update that went out. */
export function incidentWebhookPayload(input: IncidentNotificationInput): Record<string, unknown> {
  const { site, page, incident, update, components } = input;
  const affectedComponents = components.map((c) => ({ code: c.id, name: c.name, old_status: null, new_status: c.status }));
  return {
    meta: { unsubscribe: null, documentation: `${site.publicUrl}/docs`, generated_at: update.publishedAt.toISOString() },
    page: {
      id: site.publicUrl,
      name: site.pageName,
      url: site.publicUrl,
      status_indicator: v2Indicator(page.indicator),
      status_description: page.description,
    },
    incident: {
      id: incident.id,
      name: incident.title,
      status: incident.status,
      impact: incident.impact,
      impact_override: incident.impactOverride,
      backfilled: false,
      shortlink: incidentUrl(site, incident.id),
      created_at: incident.createdAt.toISOString(),
      updated_at: incident.updatedAt.toISOString(),
      started_at: incident.startedAt.toISOString(),
      monitoring_at: iso(incident.mitigatedAt),
      resolved_at: iso(incident.resolvedAt),
      incident_updates: [
        {
          id: update.id,
          incident_id: incident.id,
          status: update.status,
          body: update.body,
          body_text: htmlToText(storedMarkdownHtml({ id: update.id, source: update.body, html: update.bodyHtml })),
          created_at: update.createdAt.toISOString(),
          display_at: update.publishedAt.toISOString(),
          updated_at: update.publishedAt.toISOString(),
          affected_components: affectedComponents,
        },
      ],
      components: components.map((c) => ({ id: c.id, name: c.name, status: c.status })),
    },
  };
}
