import { storedMarkdownHtml } from '../../text/markdown.js';
import type { DisplayTime } from '../../text/time.js';
import type { Translator } from '../../i18n/translator.js';
import type { PostmortemRow } from '../../modules/postmortems/index.js';

export interface PostmortemModel {
  summaryHtml: string;
  rootCauseHtml: string;
  whys: string[];
  contributingFactors: string[];
  /** The saved timeline without its internal lines; empty when none was saved. */
  timeline: { at: DisplayTime; text: string }[];
  actionItems: { title: string; owner: string | null; dueDate: string | null; done: boolean }[];
  publishedAt: DisplayTime;
  /** Set when the text was edited after publication. */
  revisedAt: DisplayTime | null;
}

/**
 * What the public page shows of a published postmortem: what the author saved, never the
 * prefill, and no line marked internal (notes come marked so).
 */
export function postmortemModel(row: PostmortemRow, timeZone: string, i18n: Translator): PostmortemModel | null {
  if (!row.publishedAt) return null;
  const displayTime = i18n.time;
  return {
    summaryHtml: storedMarkdownHtml({ id: `postmortem:${row.incidentId}:summary`, source: row.summary, html: row.summaryHtml }),
    rootCauseHtml: row.rootCause
      ? storedMarkdownHtml({ id: `postmortem:${row.incidentId}:root-cause`, source: row.rootCause, html: row.rootCauseHtml })
      : '',
    whys: row.whys,
    contributingFactors: row.contributingFactors,
    timeline: (row.timeline ?? []).filter((e) => !e.internal).map((e) => ({ at: displayTime(new Date(e.at), timeZone), text: e.text })),
    actionItems: row.actionItems,
    publishedAt: displayTime(row.publishedAt, timeZone),
    revisedAt: row.updatedAt.getTime() > row.publishedAt.getTime() ? displayTime(row.updatedAt, timeZone) : null,
  };
}
