import type { OverallStatus } from '../../domain/status.js';
import type { ComponentStatus, Impact, IncidentStatus, Severity, UpdateKind } from '../../domain/vocabulary.js';
import { LANGUAGES } from '../../domain/languages.js';
import { translator, type Translator } from '../../i18n/translator.js';
import { messageIn, type Translations } from '../../i18n/translations.js';
import type { Notification, RenderedMail } from '../outbox.js';
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
  /** `body` in other languages, by language. */
  translations?: Translations;
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

/** The subject in English: what staff-facing callers name an update by. */
export function incidentSubject(incident: Pick<IncidentFacts, 'severity' | 'title'>, status: IncidentStatus, { t }: Translator = translator('en')): string {
  return oneLine(t('mail.incidentSubject', { severity: incident.severity, status: t(`incidentStatus.${status}`), title: incident.title }));
}

export const incidentUrl = (site: Site, incidentId: string) => `${site.publicUrl}/incidents/${incidentId}`;

/** The mail in one language; the update's message in it when it was translated. */
function incidentMail(input: IncidentNotificationInput, i18n: Translator): RenderedMail {
  const { site, incident, update, components } = input;
  const { t } = i18n;
  const url = incidentUrl(site, incident.id);
  const subject = incidentSubject(incident, update.status, i18n);
  const posted = i18n.time(update.publishedAt, site.timeZone).text;
  const affected = components.map((c) => t('mail.componentStatus', { name: c.name, status: t(`componentStatus.${c.status}`) }));
  const status = t(`incidentStatus.${update.status}`);
  const statusLine = t('mail.statusLine', { status, severity: incident.severity, impact: incident.impact });
  // Rendered when written: building a message parses no Markdown, so it cannot fail a write.
  const message = messageIn(update, i18n.lang);

  const text = [
    oneLine(incident.title),
    statusLine,
    '',
    message.markdown.trim(),
    ...(update.summary ? ['', `${t('feed.summary')} ${update.summary.trim()}`] : []),
    '',
    ...(affected.length > 0 ? [t('incident.affectedList', { names: affected.join(', ') })] : []),
    t('mail.posted', { time: posted }),
    '',
    t('mail.followText', { url }),
  ].join('\n');

  const html = htmlDocument(
    subject,
    `<h1 style="font-size:20px;margin:0 0 4px">${escapeHtml(oneLine(incident.title))}</h1>
<p style="margin:0 0 16px;color:#59636e"><strong>${escapeHtml(status)}</strong>${escapeHtml(statusLine.slice(status.length))}</p>
<div>${message.html}</div>
${update.summary ? `<p><strong>${escapeHtml(t('feed.summary'))}</strong> ${escapeHtml(update.summary)}</p>` : ''}
${affected.length > 0 ? `<p><strong>${escapeHtml(t('mail.affected'))}</strong> ${escapeHtml(affected.join(', '))}</p>` : ''}
<p style="color:#59636e">${escapeHtml(t('mail.posted', { time: posted }))}</p>
<p><a href="${escapeHtml(url)}">${escapeHtml(t('mail.followHtml', { pageName: site.pageName }))}</a></p>`,
    i18n.lang,
  );
  return { subject, text, html };
}

/** The announcement: its English mail (subscribers of no recorded language get it) and one per shipped language. */
export function buildIncidentNotification(input: IncidentNotificationInput): Notification {
  const { incident, update, components } = input;
  return {
    kind: input.kind ?? 'incident.update',
    incidentId: incident.id,
    updateId: update.id,
    componentIds: components.map((c) => c.id),
    mail: incidentMail(input, translator('en')),
    localizedMails: Object.fromEntries(LANGUAGES.map((lang) => [lang, incidentMail(input, translator(lang))])),
    webhook: input.webhook,
  };
}

