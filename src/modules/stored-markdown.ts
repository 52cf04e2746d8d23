import { Errors } from '../core/errors.js';
import { MarkdownRejected, renderMarkdown } from '../text/markdown.js';

/**
 * A Markdown field being written, rendered and sanitised for storage beside its source. The
 * repositories call it on every insert and update of such a field, so no path can store a body
 * the public pages, feeds or mails would have to render later. A body over the limits is a
 * 400 naming the field; thrown inside the write's transaction, it leaves nothing behind.
 */
export function htmlForStorage(source: string, field: string): string {
  try {
    return renderMarkdown(source);
  } catch (error) {
    if (error instanceof MarkdownRejected) throw new Errors.invalid(`${field}: ${error.message}`);
    throw error;
  }
}

/** A Markdown field kept as source only (a template's message, a why), held to the same limits. */
export function checkMarkdown(source: string, field: string): void {
  htmlForStorage(source, field);
}
