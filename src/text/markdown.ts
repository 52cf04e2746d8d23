import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// A private instance: options set here never leak into another user of `marked`.
const marked = new Marked({ gfm: true, breaks: true, async: false });

/**
 * Update bodies are Markdown written under pressure, rendered for the public. Only plain
 * formatting survives: no raw HTML, no event handlers, no images (tracking pixels), and links
 * only to http(s) and mailto.
 */
const POLICY: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'hr'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Headings in an update must not outrank the page's own.
  transformTags: {
    h1: 'h3',
    h2: 'h3',
    h5: 'h4',
    h6: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
  },
  disallowedTagsMode: 'escape',
};
POLICY.allowedAttributes = { a: ['href', 'rel'] };

export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  // Stripped after sanitising: sanitize-html decodes references such as `&#1;` into the raw
  // character, which would make the feed's XML ill-formed for every reader.
  return stripInvalidXmlChars(sanitizeHtml(html, POLICY)).trim();
}

/** Plain text of a Markdown body, for titles, summaries and mail subjects. */
export function markdownToText(source: string): string {
  // A line break is a tag, not text: without the space, the words on either side would join.
  const html = renderMarkdown(source).replace(/<br\s*\/?>/g, ' ');
  const escaped = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(escaped).replace(/\s+/g, ' ').trim();
}

/** sanitize-html escapes text it outputs; plain text is escaped later, where it is used. */
function decodeEntities(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Removes characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF): one
 * of them in a title would make the whole feed unreadable to every reader.
 */
export function stripInvalidXmlChars(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}
