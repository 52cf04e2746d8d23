import { escapeHtml } from '../../text/html.js';
import { clip, type ChatField, type ChatMessage } from './message.js';

/**
 * Google Chat incoming webhooks: a message with `text` (its headline) and `cardsV2`,
 * one card of header, sections and widgets. A message's text holds 4,096 characters; a card
 * at most 100 widgets.
 */
export const GOOGLE_CHAT_LIMITS = { text: 4096, widgets: 100, paragraph: 2000 } as const;

/**
 * What Google Chat interprets, as https://developers.google.com/workspace/chat/format-messages
 * and the cardsV2 reference (https://developers.google.com/workspace/chat/api/reference/rest/v1/cards)
 * say it:
 * - a message's `text` reads Chat's own syntax: `*bold*`, `_italic_`, `~strike~`, `` `code` ``,
 *   lists, links `<url|label>` and mentions `<users/{id}>`, `<users/all>` (everyone). That syntax
 *   has no escape character (a backslash would show as itself), and both dangerous forms start
 *   with `<`: a zero-width space after every `<` keeps them text. Emphasis in a headline hides
 *   nothing and is left as typed;
 * - the text of `textParagraph`, `decoratedText` and a section's `header` is an HTML subset
 *   (`<b>`, `<a href>`, `<font>`, …): escaped as HTML;
 * - the card header's `title` and `subtitle`, a `topLabel` and a button's text are documented
 *   with no formatting: an HTML entity there could show as typed, so they get the same zero-width
 *   space after `<`, which keeps any tag from forming whether or not a client reads them as HTML.
 */
export function escapeGoogleChatText(text: string): string {
  return text.replace(/</g, '<\u200b');
}

/** Fields documented as plain text: see `escapeGoogleChatText`. */
const plain = (text: string, max: number) => clip(escapeGoogleChatText(text), max);

const paragraph = (text: string) => ({ textParagraph: { text: clip(escapeHtml(text), GOOGLE_CHAT_LIMITS.paragraph) } });
const decorated = (f: ChatField) => ({ decoratedText: { topLabel: plain(f.label, 200), text: clip(escapeHtml(f.value), 1000), wrapText: true } });

export function renderGoogleChat(message: ChatMessage, cardId = 'heliograph'): Record<string, unknown> {
  const sections: Array<{ header?: string; widgets: object[] }> = [];
  const main: object[] = [];
  if (message.summary) main.push(paragraph(message.summary));
  main.push(...message.fields.map(decorated));
  if (message.links.length > 0) {
    main.push({ buttonList: { buttons: message.links.slice(0, 5).map((l) => ({ text: plain(l.label, 100), onClick: { openLink: { url: l.url } } })) } });
  }
  if (main.length > 0) sections.push({ widgets: main });
  let widgets = main.length;
  for (const section of message.sections) {
    const items: object[] = [];
    if (section.text) items.push(paragraph(section.text));
    items.push(...section.fields.map(decorated));
    if (section.link) items.push({ buttonList: { buttons: [{ text: plain(section.link.label, 100), onClick: { openLink: { url: section.link.url } } }] } });
    if (items.length === 0) items.push(paragraph(section.title));
    if (widgets + items.length > GOOGLE_CHAT_LIMITS.widgets) break;
    widgets += items.length;
    sections.push({ header: clip(escapeHtml(section.title), 200), widgets: items });
  }
  // A card needs at least one section with one widget.
  if (sections.length === 0) sections.push({ widgets: [paragraph(message.title)] });
  return {
    // Shown above the card (and in notifications): the headline only, the card says the rest.
    text: clip(escapeGoogleChatText([message.title, message.status].filter(Boolean).join(' — ')), GOOGLE_CHAT_LIMITS.text),
    cardsV2: [
      {
        cardId,
        card: {
          // The subtitle says the status and who speaks.
          header: { title: plain(message.title, 200), subtitle: plain([message.status, message.footer].filter(Boolean).join(' · '), 200) },
          sections,
        },
      },
    ],
  };
}
