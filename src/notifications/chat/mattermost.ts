import { clip, plainText, TONE_HEX, type ChatMessage } from './message.js';

/**
 * Mattermost incoming webhooks: Slack-compatible message attachments, each with its required
 * plain-text `fallback`. A post holds at most 16,383 characters; attachments' text is Markdown.
 */
export const MATTERMOST_LIMITS = { post: 16383, text: 4000, fields: 20, attachments: 16 } as const;

/**
 * Mattermost renders Markdown and notifies on `@channel`, `@all`, `@here` and `@user` in
 * attachment text, and turns Slack's `<!channel>` into a mention: Markdown punctuation and `<`
 * are escaped with backslashes, and every `@` is followed by a zero-width space so no mention
 * matches.
 */
export function escapeMattermost(text: string): string {
  return text.replace(/[\\`*_~[\]()#<>|!]/g, (c) => `\\${c}`).replace(/@/g, '@\u200b');
}

const esc = (text: string, max: number) => clip(escapeMattermost(text), max);

export function renderMattermost(message: ChatMessage): Record<string, unknown> {
  const color = TONE_HEX[message.tone];
  const [first, ...others] = message.links;
  const text = [message.status ? `**${escapeMattermost(message.status)}**` : '', escapeMattermost(message.summary)]
    .concat(others.map((l) => `[${escapeMattermost(l.label)}](${l.url.replace(/[()\s]/g, encodeURIComponent)})`))
    .filter(Boolean)
    .join('\n\n');
  const attachments: object[] = [
    {
      fallback: esc(plainText(message), MATTERMOST_LIMITS.text),
      color,
      title: clip(message.title, 250),
      ...(first ? { title_link: first.url } : {}),
      text: clip(text, MATTERMOST_LIMITS.text),
      fields: message.fields.slice(0, MATTERMOST_LIMITS.fields).map((f) => ({ title: clip(f.label, 250), value: esc(f.value, 1000), short: f.value.length <= 40 })),
      footer: clip(message.footer, 250),
    },
  ];
  for (const section of message.sections.slice(0, MATTERMOST_LIMITS.attachments - 1)) {
    attachments.push({
      fallback: esc(`${section.title}\n${section.text}`, 1000),
      color,
      title: clip(section.title, 250),
      ...(section.link ? { title_link: section.link.url } : {}),
      text: esc(section.text, 1000),
      fields: section.fields.slice(0, MATTERMOST_LIMITS.fields).map((f) => ({ title: clip(f.label, 250), value: esc(f.value, 500), short: true })),
    });
  }
  return { attachments };
}
