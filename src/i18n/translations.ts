/** Texts written in several languages (an incident update's message and its translations). */
import { storedMarkdownHtml } from '../text/markdown.js';

export type Translations = Partial<Record<string, { markdown: string; html: string }>>;

/**
 * A stored message as a reader of `lang` gets it: its translation when it has one, the
 * message as written otherwise. Both were rendered and sanitised when written.
 */
export function messageIn(
  message: { id: string; body: string; bodyHtml: string | null; translations?: Translations },
  lang: string,
): { markdown: string; html: string } {
  const translation = message.translations?.[lang];
  if (translation) return { markdown: translation.markdown, html: storedMarkdownHtml({ id: `${message.id}:${lang}`, source: translation.markdown, html: translation.html }) };
  return { markdown: message.body, html: storedMarkdownHtml({ id: message.id, source: message.body, html: message.bodyHtml }) };
}
