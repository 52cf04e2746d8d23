import { componentStatusLabel, type OverallStatus } from '../../domain/status.js';
import type { ComponentStatus, Impact, IncidentStatus, Severity, UpdateKind } from '../../domain/vocabulary.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import { displayTime } from '../../text/time.js';
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
  /** Statuspage's webhook event for it (src/statuspage/webhooks.ts), built from the incident's whole history. */
  webhook: Record<string, unknown>;
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
    webhook: input.webhook,
  };
}
