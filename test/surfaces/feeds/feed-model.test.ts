import { describe, expect, it } from 'vitest';
import { feedTitle, feedUrl, mergeFeedEntries, type FeedEntry } from '../../../src/surfaces/feeds/feed-model.js';

const entry = (id: string, at: string, componentIds: string[] = []): FeedEntry => ({
  id,
  title: id,
  link: `https://x.test/${id}`,
  updated: new Date(at),
  contentHtml: '',
  componentIds,
});

describe('mergeFeedEntries', () => {
  it('merges every source newest first, ties in a fixed order, up to the limit', () => {
    const updates = [entry('u2', '2026-11-24T10:00:00Z'), entry('u1', '2026-11-23T10:00:00Z')];
    const maintenance = [entry('m1', '2026-11-24T10:00:00Z'), entry('m0', '2026-11-20T10:00:00Z')];
    expect(mergeFeedEntries([updates, maintenance], { limit: 3 }).map((e) => e.id)).toEqual(['u2', 'm1', 'u1']);
    expect(mergeFeedEntries([maintenance, updates], { limit: 3 }).map((e) => e.id)).toEqual(['u2', 'm1', 'u1']);
  });

  it('keeps only the entries about the component asked for', () => {
    const list = [entry('a', '2026-11-24T10:00:00Z', ['c1']), entry('b', '2026-11-24T09:00:00Z', ['c2', 'c1']), entry('c', '2026-11-24T08:00:00Z', [])];
    expect(mergeFeedEntries([list], { limit: 10, componentId: 'c1' }).map((e) => e.id)).toEqual(['a', 'b']);
    expect(mergeFeedEntries([list], { limit: 10 }).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('feed naming', () => {
  const meta = { pageName: 'Acme', publicUrl: 'https://s.test', now: new Date() };
  it('names the narrowed feed after its component and links to itself', () => {
    expect(feedUrl(meta, 'atom')).toBe('https://s.test/feed.atom');
    expect(feedTitle(meta)).toBe('Acme — incident updates');
    const narrowed = { ...meta, component: { id: 'abc', name: 'API' } };
    expect(feedUrl(narrowed, 'rss')).toBe('https://s.test/feed.rss?component=abc');
    expect(feedTitle(narrowed)).toBe('Acme — API');
  });
});
