import { escapeHtml } from '../../text/html.js';
import { htmlDocument } from '../../notifications/messages/mail-layout.js';
import type { ActionItem, TimelineEntry } from '../../domain/postmortem.js';
import type { Impact, IncidentStatus } from '../../domain/vocabulary.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import { LANGUAGES } from '../../domain/languages.js';
import { translator, type Translator } from '../../i18n/translator.js';
import type { RenderedMail } from '../../notifications/outbox.js';

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
  /** The mail in each shipped language; `subject`, `text` and `html` are the English one. */
  localizedMails: Partial<Record<string, RenderedMail>>;
  /** Shaped like Statuspage's incident webhook, with the postmortem fields filled in. */
  webhook: Record<string, unknown>;
}

/**
 * The postmortem as Markdown, as subscribers read it, its headings in `i18n`'s language (the
 * team's own text is as written). Internal timeline lines and the five whys stay with the team;
 * what was learned and what will change go out.
 */
export function postmortemBody(
  p: Pick<PublishedPostmortem, 'summary' | 'rootCause' | 'contributingFactors' | 'actionItems'>,
  { t }: Translator = translator('en'),
): string {
  const parts = [p.summary];
  if (p.rootCause) parts.push(`**${t('mail.postmortemRootCause')}** ${p.rootCause}`);
  if (p.contributingFactors.length) parts.push([`**${t('mail.postmortemFactors')}**`, ...p.contributingFactors.map((f) => `- ${f}`)].join('\n'));
  if (p.actionItems.length) {
    const done = `[${t('mail.postmortemDone')}] `;
    parts.push([`**${t('mail.postmortemChanges')}**`, ...p.actionItems.map((a) => `- ${a.done ? done : ''}${a.title}`)].join('\n'));
  }
  return parts.join('\n\n');
}

/**
 * The announcement's mail in one language. English shows the HTML stored when the postmortem
 * was saved; another language's headings differ, so its body is rendered here, once, as the
 * notification is written (the outbox keeps what is sent).
 */
function postmortemMail(p: PublishedPostmortem, url: string, pageName: string, i18n: Translator): RenderedMail {
  const { t } = i18n;
  const body = postmortemBody(p, i18n);
  const subject = t('mail.postmortemSubject', { pageName, title: p.incident.title });
  // Rendered now, never throwing: a body at the length limit may pass it with longer headings.
  const bodyHtml = storedMarkdownHtml({ id: `postmortem:${p.incident.id}:${i18n.lang}`, source: body, html: i18n.lang === 'en' ? p.publicHtml : null });
  return {
    subject,
    text: `${p.incident.title}\n\n${body}\n\n${t('mail.postmortemReadText', { url })}\n`,
    html: htmlDocument(
      subject,
      `<h1>${escapeHtml(t('mail.postmortemHeadline', { title: p.incident.title }))}</h1>` +
        bodyHtml +
        `<p><a href="${escapeHtml(url)}">${escapeHtml(t('mail.postmortemReadHtml'))}</a></p>`,
      i18n.lang,
    ),
  };
}

/** Subject, text, HTML (in each language) and webhook payload announcing a published postmortem. Pure. */
export function buildPostmortemNotification(
  p: PublishedPostmortem,
  publicUrl: string,
  pageName: string,
  /** Statuspage's incident event with the postmortem fields filled in (incidentWebhookEvent). */
  webhook: Record<string, unknown>,
): PostmortemNotification {
  const url = `${publicUrl}/incidents/${p.incident.id}#postmortem`;
  const english = postmortemMail(p, url, pageName, translator('en'));
  return {
    subject: english.subject,
    text: english.text,
    html: english.html!,
    localizedMails: Object.fromEntries(LANGUAGES.map((lang) => [lang, postmortemMail(p, url, pageName, translator(lang))])),
    webhook,
  };
}
