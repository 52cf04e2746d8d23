import { escapeHtml } from '../../text/html.js';
import { translator, type Translator } from '../../i18n/translator.js';
import { htmlDocument } from './mail-layout.js';

/**
 * The confirmation mail, in the language the address subscribed from. It holds no text a
 * stranger typed except the address itself: anyone can make us send it to anyone, so it must
 * not carry their message.
 */
export function confirmationMail(input: { pageName: string; email: string; confirmUrl: string; pageUrl: string }, { t, lang }: Translator = translator('en')) {
  const subject = t('mail.confirmSubject', { pageName: input.pageName });
  const intro = t('mail.confirmIntro', { pageName: input.pageName, email: input.email });
  const note = t('mail.confirmNote');
  const text = [intro, '', t('mail.confirmText', { url: input.confirmUrl }), '', note, '', `${input.pageName}: ${input.pageUrl}`, ''].join('\n');
  const html = htmlDocument(
    subject,
    `<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(input.confirmUrl)}" style="display:inline-block;padding:8px 16px;background:#0969da;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(t('mail.confirmButton'))}</a></p>
<p style="font-size:13px;color:#59636e">${escapeHtml(note)}</p>`,
    lang,
  );
  return { subject, text, html };
}
