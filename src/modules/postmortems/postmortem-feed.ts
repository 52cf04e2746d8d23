import type RSS from 'rss';
import { renderMarkdown } from '../../text/markdown.js';
import { postmortemBody } from './postmortem-content.js';
import type { PostmortemRow } from './postmortems.repo.js';

export interface PostmortemFeedEntry {
  postmortem: PostmortemRow;
  incident: { id: string; title: string };
}

/** One feed item per published postmortem, dated by its first publication so edits do not re-announce it. */
export function postmortemFeedItem(
  { postmortem, incident }: PostmortemFeedEntry,
  publicUrl: string,
): RSS.ItemOptions & { title: string; description: string } {
  return {
    title: `[Postmortem] ${incident.title}`,
    description: renderMarkdown(postmortemBody(postmortem)),
    url: `${publicUrl}/incidents/${incident.id}#postmortem`,
    guid: `postmortem-${incident.id}`,
    date: postmortem.publishedAt ?? postmortem.updatedAt,
  };
}
