import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderRss } from '../../../src/surfaces/feeds/rss.js';
import type { FeedEntry, FeedMeta } from '../../../src/surfaces/feeds/feed-model.js';

const now = new Date('2026-03-08T09:30:00Z');
const meta: FeedMeta = { pageName: 'Acme', publicUrl: 'https://s.test', now };
const entry: FeedEntry = {
  id: '6f1c1d7e-5b0a-4c1e-9d1f-2a3b4c5d6e7f',
  title: 'API errors',
  link: 'https://s.test/incidents/1',
  updated: new Date('2026-03-08T08:00:00Z'),
  contentHtml: '<p>Investigating.</p>',
  componentIds: [],
};

const channel = (xml: string) => (new XMLParser().parse(xml) as { rss: { channel: Record<string, unknown> } }).rss.channel;

describe('renderRss', () => {
  // Guards the package's own `new Date()`: the same data and clock must give the same bytes.
  it("dates <lastBuildDate> by the app's clock", () => {
    const xml = renderRss([entry], meta);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(channel(xml).lastBuildDate).toBe('Sun, 08 Mar 2026 09:30:00 GMT');
    expect(renderRss([entry], meta)).toBe(xml);
  });

  it('leaves a page name that quotes the element as it was written', () => {
    const pageName = 'Acme <lastBuildDate>Mon, 01 Jan 2024 00:00:00 GMT</lastBuildDate> ]]> ops';
    const xml = renderRss([entry], { ...meta, pageName });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(channel(xml).title).toBe(`${pageName} — incident updates`);
    expect(channel(xml).description).toBe(`Incident updates from ${pageName}`);
    expect(channel(xml).lastBuildDate).toBe('Sun, 08 Mar 2026 09:30:00 GMT');
  });
});
