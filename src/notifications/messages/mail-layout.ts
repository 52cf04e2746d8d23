/** Shared pieces of every notification mail: pure string building, no I/O. */
import { escapeHtml } from '../../text/html.js';
import { translator, type Translator } from '../../i18n/translator.js';

/** A header value on one line: a title with a line break must not become two headers. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The HTML frame of a mail; `body` is HTML we built (escaped or sanitised already). */
export function htmlDocument(title: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;color:#1f2328;max-width:640px;margin:0 auto;padding:16px">
${body}
</body></html>`;
}

export interface UnsubscribeFooter {
  pageName: string;
  unsubscribeUrl: string;
  /** Names of the chosen components; unset: the whole page ("status updates"). */
  scope?: string;
}

/** Adds the recipient's unsubscribe footer, in the recipient's language; the worker calls it at send time. */
export function withUnsubscribe(mail: { text: string; html: string | null }, footer: UnsubscribeFooter, { t }: Translator = translator('en')) {
  const why = t('mail.footer', { pageName: footer.pageName, scope: footer.scope ?? t('mail.scopeAll') });
  const text = `${mail.text}\n\n--\n${why}\n${t('mail.unsubscribeText', { url: footer.unsubscribeUrl })}\n`;
  const htmlFooter = `<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0 8px"><p style="font-size:13px;color:#59636e">${escapeHtml(why)} <a href="${escapeHtml(footer.unsubscribeUrl)}">${escapeHtml(t('subscription.unsubscribeButton'))}</a></p>`;
  // Inside the frame when there is one; a fragment still gets its link, at the end.
  const html = mail.html === null ? null : mail.html.includes('</body>') ? mail.html.replace(/<\/body>/, `${htmlFooter}\n</body>`) : `${mail.html}\n${htmlFooter}`;
  return { text, html };
}
