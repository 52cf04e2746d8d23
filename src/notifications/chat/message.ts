/**
 * The one chat message model every platform renders: what an event says, in plain text. Every
 * string here is text, never markup: a responder's words may hold `*`, `<!channel>` or
 * `@everyone`, and each renderer escapes them for its own platform so they stay words.
 */

/** Decides the colour a platform shows beside the message. */
export const CHAT_TONES = ['neutral', 'good', 'warning', 'danger', 'maintenance'] as const;
export type ChatTone = (typeof CHAT_TONES)[number];

export interface ChatField {
  label: string;
  value: string;
}

export interface ChatLink {
  label: string;
  url: string;
}

/** A part of a longer message: one open incident in the digest. */
export interface ChatSection {
  title: string;
  text: string;
  fields: ChatField[];
  link: ChatLink | null;
}

export interface ChatMessage {
  title: string;
  /** One line under the title: "Investigating · major impact". */
  status: string | null;
  tone: ChatTone;
  summary: string;
  fields: ChatField[];
  /** The first is the title's link. */
  links: ChatLink[];
  sections: ChatSection[];
  /** Who speaks: the page's name. */
  footer: string;
}

export const TONE_HEX: Record<ChatTone, string> = {
  neutral: '#607d8b',
  good: '#2e7d32',
  warning: '#f9a825',
  danger: '#c62828',
  maintenance: '#1565c0',
};

/**
 * At most `max` UTF-16 code units (what the platforms' limits count), ending in "…" when cut,
 * never splitting a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The plain-text form of a whole message, for platforms' fallbacks and notifications. */
export function plainText(message: ChatMessage): string {
  const lines = [message.title];
  if (message.status) lines.push(message.status);
  if (message.summary) lines.push('', message.summary);
  for (const field of message.fields) lines.push(`${field.label}: ${field.value}`);
  for (const section of message.sections) {
    lines.push('', section.title);
    if (section.text) lines.push(section.text);
    for (const field of section.fields) lines.push(`${field.label}: ${field.value}`);
  }
  for (const link of message.links) lines.push(`${link.label}: ${link.url}`);
  return lines.join('\n');
}

/** A message with nothing but a title and a summary, filled in: a test message, say. */
export function simpleMessage(parts: Partial<ChatMessage> & Pick<ChatMessage, 'title' | 'footer'>): ChatMessage {
  return { status: null, tone: 'neutral', summary: '', fields: [], links: [], sections: [], ...parts };
}
