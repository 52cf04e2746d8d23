import { clip, plainText, type ChatField, type ChatMessage } from './message.js';

/**
 * Slack incoming webhooks: Block Kit `blocks` with a top-level `text` that Slack shows in
 * notifications and where blocks cannot be shown. Slack's limits: 50 blocks, a header's text
 * 150 characters, a section's text 3,000, ten fields of 2,000 each, a button's label 75.
 */
export const SLACK_LIMITS = { blocks: 50, header: 150, sectionText: 3000, fields: 10, fieldText: 2000, buttonText: 75, buttons: 25, fallback: 3000 } as const;

/**
 * Slack reads `&`, `<` and `>` as markup (`<!channel>` pings everyone, `<url|text>` is a link):
 * these three are escaped as entities, as Slack's formatting guide asks, so text stays text.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const mrkdwn = (text: string, max: number) => ({ type: 'mrkdwn', text: clip(escapeSlack(text), max) });

function fieldsBlock(fields: ChatField[]) {
  return {
    type: 'section',
    fields: fields.slice(0, SLACK_LIMITS.fields).map((f) => ({ type: 'mrkdwn', text: clip(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, SLACK_LIMITS.fieldText) })),
  };
}

export function renderSlack(message: ChatMessage): Record<string, unknown> {
  const blocks: object[] = [{ type: 'header', text: { type: 'plain_text', text: clip(message.title, SLACK_LIMITS.header), emoji: false } }];
  if (message.status) blocks.push({ type: 'context', elements: [mrkdwn(message.status, SLACK_LIMITS.sectionText)] });
  if (message.summary) blocks.push({ type: 'section', text: mrkdwn(message.summary, SLACK_LIMITS.sectionText) });
  if (message.fields.length > 0) blocks.push(fieldsBlock(message.fields));
  // The links and the footer come last and always fit: sections give way first.
  const tail: object[] = [];
  if (message.links.length > 0) {
    tail.push({
      type: 'actions',
      elements: message.links.slice(0, SLACK_LIMITS.buttons).map((link, i) => ({
        type: 'button',
        action_id: `link-${i}`,
        text: { type: 'plain_text', text: clip(link.label, SLACK_LIMITS.buttonText), emoji: false },
        url: link.url,
      })),
    });
  }
  tail.push({ type: 'context', elements: [mrkdwn(message.footer, SLACK_LIMITS.sectionText)] });
  for (const section of message.sections) {
    const part: object[] = [
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: clip(`*${escapeSlack(section.title)}*${section.text ? `\n${escapeSlack(section.text)}` : ''}`, SLACK_LIMITS.sectionText) } },
    ];
    if (section.fields.length > 0) part.push(fieldsBlock(section.fields));
    if (section.link) part.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${section.link.url}|${escapeSlack(clip(section.link.label, 200))}>` }] });
    if (blocks.length + part.length + tail.length > SLACK_LIMITS.blocks) break;
    blocks.push(...part);
  }
  blocks.push(...tail);
  return { text: clip(escapeSlack(plainText(message)), SLACK_LIMITS.fallback), blocks };
}
