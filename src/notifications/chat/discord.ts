import { clip, TONE_HEX, type ChatField, type ChatMessage } from './message.js';

/**
 * Discord's execute-webhook body: `embeds` (at most 10) with Discord's embed limits: title 256,
 * description 4,096, 25 fields of name 256 and value 1,024, footer 2,048, and 6,000 characters
 * over every embed of the message.
 */
export const DISCORD_LIMITS = { embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

/**
 * Discord Markdown is escaped with backslashes (masked links `[text](url)`, bold, spoilers,
 * headings, quotes, mentions' `<@…>`); `allowed_mentions` with nothing to parse makes sure no
 * text can ping @everyone or a role even so.
 */
export function escapeDiscord(text: string): string {
  return text.replace(/[\\`*_~|>[\]()#<]/g, (c) => `\\${c}`);
}

const colour = (hex: string) => Number.parseInt(hex.slice(1), 16);

interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color: number;
  fields?: Array<{ name: string; value: string; inline: boolean }>;
  footer?: { text: string };
}

const toFields = (fields: ChatField[]) =>
  fields.slice(0, DISCORD_LIMITS.fields).map((f) => ({
    name: clip(escapeDiscord(f.label), DISCORD_LIMITS.fieldName),
    value: clip(escapeDiscord(f.value), DISCORD_LIMITS.fieldValue) || '—',
    inline: f.value.length <= 40,
  }));

/** The characters Discord counts towards the 6,000 of a message. */
const size = (e: Embed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** A link Discord cannot misread: no `)` or whitespace to end it early. */
const safeUrl = (url: string) => url.replace(/[()\s]/g, (c) => encodeURIComponent(c));

export function renderDiscord(message: ChatMessage): Record<string, unknown> {
  const color = colour(TONE_HEX[message.tone]);
  const [first, ...others] = message.links;
  const description = [message.status ? `**${escapeDiscord(message.status)}**` : '', escapeDiscord(message.summary)]
    .concat(others.map((l) => `[${escapeDiscord(l.label)}](${safeUrl(l.url)})`))
    .filter(Boolean)
    .join('\n\n');
  const main: Embed = {
    title: clip(message.title, DISCORD_LIMITS.title),
    ...(first ? { url: first.url } : {}),
    description: clip(description, DISCORD_LIMITS.description),
    color,
    footer: { text: clip(message.footer, 200) },
  };
  // Fields fill what the 6,000 characters of a message leave, in order.
  const fields = [];
  for (const field of toFields(message.fields)) {
    if (size(main) + field.name.length + field.value.length > DISCORD_LIMITS.total) break;
    fields.push(field);
    main.fields = fields;
  }
  const embeds: Embed[] = [main];
  let total = size(main);
  for (const section of message.sections) {
    if (embeds.length >= DISCORD_LIMITS.embeds) break;
    const embed: Embed = {
      title: clip(section.title, DISCORD_LIMITS.title),
      ...(section.link ? { url: section.link.url } : {}),
      ...(section.text ? { description: clip(escapeDiscord(section.text), 1000) } : {}),
      color,
      ...(section.fields.length > 0 ? { fields: toFields(section.fields) } : {}),
    };
    if (total + size(embed) > DISCORD_LIMITS.total) break;
    total += size(embed);
    embeds.push(embed);
  }
  return { embeds, allowed_mentions: { parse: [] } };
}
