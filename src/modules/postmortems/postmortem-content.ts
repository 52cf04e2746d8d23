import { escapeHtml } from '../../text/html.js';
import { htmlDocument } from '../../notifications/messages/mail-layout.js';
import type { ActionItem, TimelineEntry } from '../../domain/postmortem.js';
import type { Impact, IncidentStatus } from '../../domain/vocabulary.js';
import { storedMarkdownHtml } from '../../text/markdown.js';

export interface PublishedPostmortem {
  incident: {
    id: string;
    title: string;
    status: IncidentStatus;
    impact: Impact;
    createdAt: Date;
    updatedAt: Date;
    mitigatedAt: Date | null;
    resolvedAt: Date | null;
  };
  summary: string;
  rootCause: string;
  /** `postmortemBody` as rendered when saved. */
  publicHtml: string | null;
  timeline: TimelineEntry[] | null;
  contributingFactors: string[];
  actionItems: ActionItem[];
  publishedAt: Date;
  updatedAt: Date;
}

export interface PostmortemNotification {
  subject: string;
  text: string;
  html: string;
  /** Shaped like Statuspage's incident webhook, with the postmortem fields filled in. */
  webhook: Record<string, unknown>;
}

/**
 * The postmortem as Markdown, as subscribers read it. Internal timeline lines and the five whys
 * stay with the team; what was learned and what will change go out.
 */
export function postmortemBody(p: Pick<PublishedPostmortem, 'summary' | 'rootCause' | 'contributingFactors' | 'actionItems'>): string {
  const parts = [p.summary];
  if (p.rootCause) parts.push(`**Root cause.** ${p.rootCause}`);
  if (p.contributingFactors.length) parts.push(['**Contributing factors**', ...p.contributingFactors.map((f) => `- ${f}`)].join('\n'));
  if (p.actionItems.length) {
    parts.push(['**What we are changing**', ...p.actionItems.map((a) => `- ${a.done ? '[done] ' : ''}${a.title}`)].join('\n'));
  }
  return parts.join('\n\n');
}

/** Subject, text, HTML and webhook payload announcing a published postmortem. Pure. */
export function buildPostmortemNotification(
  p: PublishedPostmortem,
  publicUrl: string,
  pageName: string,
  /** Statuspage's incident event with the postmortem fields filled in (incidentWebhookEvent). */
  webhook: Record<string, unknown>,
): PostmortemNotification {
  const url = `${publicUrl}/incidents/${p.incident.id}#postmortem`;
  const body = postmortemBody(p);
  const subject = `[${pageName}] Postmortem: ${p.incident.title}`;
  return {
    subject,
    text: `${p.incident.title}\n\n${body}\n\nRead it on the status page: ${url}\n`,
    html: htmlDocument(
      subject,
      `<h1>${escapeHtml(`Postmortem: ${p.incident.title}`)}</h1>` +
        storedMarkdownHtml({ id: `postmortem:${p.incident.id}`, source: body, html: p.publicHtml }) +
        `<p><a href="${escapeHtml(url)}">Read it on the status page</a></p>`,
    ),
    webhook,
  };
}
