import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from './html.js';
import { markdownProblem } from './markdown-limits.js';

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

/** A body the renderer must not be given: the message says what is too much. */
export class MarkdownRejected extends Error {
  override readonly name = 'MarkdownRejected';
}

/**
 * The sanitised HTML of a body being written. Throws `MarkdownRejected` when the body goes
 * over the limits, or when the renderer fails on it anyway: either way it is the author's
 * to shorten or simplify, and nothing is stored.
 */
export function renderMarkdown(source: string): string {
  const problem = markdownProblem(source);
  if (problem) throw new MarkdownRejected(problem.message);
  try {
    return renderUnchecked(source);
  } catch {
    throw new MarkdownRejected('The text could not be rendered: simplify its formatting (nesting, emphasis, links).');
  }
}

function renderUnchecked(source: string): string {
  const html = marked.parse(source) as string;
  // Stripped after sanitising: sanitize-html decodes references such as `&#1;` into the raw
  // character, which would make the feed's XML ill-formed for every reader.
  return stripInvalidXmlChars(sanitizeHtml(html, POLICY)).trim();
}

/**
 * The HTML of a stored body, for a reader. It was rendered when written; a row kept from
 * before that is rendered now, and one the renderer cannot have (over the limits, or failing)
 * is shown as escaped plain text so the page around it stays whole. Never throws.
 */
export function storedMarkdownHtml(entry: { id: string; source: string; html: string | null }): string {
  if (entry.html !== null) return entry.html;
  try {
    return renderMarkdown(entry.source);
  } catch (error) {
    reportOnce(entry.id, error);
    return plainTextHtml(entry.source);
  }
}

/** Text as HTML paragraphs, every character escaped: what a body is when it cannot be rendered. */
export function plainTextHtml(source: string): string {
  return stripInvalidXmlChars(source)
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

type FailureListener = (entryId: string, error: unknown) => void;
let failureListener: FailureListener = () => {};
const reported = new Set<string>();

/** Where stored bodies that cannot be rendered are reported (the app's log); once per entry. */
export function onStoredMarkdownFailure(listener: FailureListener): void {
  failureListener = listener;
}

function reportOnce(entryId: string, error: unknown) {
  if (reported.has(entryId)) return;
  // Bounded: a process that meets many such rows still logs each only about once.
  if (reported.size >= 10_000) reported.clear();
  reported.add(entryId);
  failureListener(entryId, error);
}

/** Plain text of rendered HTML, for titles, summaries and mail subjects. */
export function htmlToText(rendered: string): string {
  // A line break is a tag, not text: without the space, the words on either side would join.
  const html = rendered.replace(/<br\s*\/?>/g, ' ');
  const escaped = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(escaped).replace(/\s+/g, ' ').trim();
}

/** Plain text of a Markdown body (which must keep to the limits). */
export function markdownToText(source: string): string {
  return htmlToText(renderMarkdown(source));
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
