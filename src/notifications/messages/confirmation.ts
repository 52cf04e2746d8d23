import { escapeHtml } from '../../text/html.js';
import { htmlDocument } from './mail-layout.js';

/**
 * The confirmation mail. It holds no text a stranger typed except the address itself: anyone
 * can make us send it to anyone, so it must not carry their message.
 */
export function confirmationMail(input: { pageName: string; email: string; confirmUrl: string; pageUrl: string }) {
  const subject = `Confirm your subscription to ${input.pageName}`;
  const text = [
    `Someone, probably you, asked to receive status updates from ${input.pageName} at ${input.email}.`,
    '',
    `Confirm the subscription: ${input.confirmUrl}`,
    '',
    'The link works once and expires in 24 hours. If you did not ask for this, ignore this mail: nothing will be sent to you.',
    '',
    `${input.pageName}: ${input.pageUrl}`,
    '',
  ].join('\n');
  const html = htmlDocument(
    subject,
    `<p>Someone, probably you, asked to receive status updates from <strong>${escapeHtml(input.pageName)}</strong> at ${escapeHtml(input.email)}.</p>
<p><a href="${escapeHtml(input.confirmUrl)}" style="display:inline-block;padding:8px 16px;background:#0969da;color:#fff;border-radius:6px;text-decoration:none">Confirm the subscription</a></p>
<p style="font-size:13px;color:#59636e">The link works once and expires in 24 hours. If you did not ask for this, ignore this mail: nothing will be sent to you.</p>`,
  );
  return { subject, text, html };
}
