import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/** /feed.atom beside /feed.rss: validity, the component filter, and conditional requests. */
const clock = new TestClock('2026-11-24T10:00:00Z');
const PUBLIC_URL = 'https://status.example.test';
let t: TestApp;
let responder: TestUser;
let api: { id: string };
let web: { id: string };
let quiet: { id: string };
let apiIncident: string;
let webIncident: string;

test.override('appOptions', { now: clock.now });
test.beforeAll(async ({ testApp, owner, responder: r }) => {
  t = testApp;
  responder = r;
  api = await makeComponent(t.app, owner.actor, { name: 'API' });
  web = await makeComponent(t.app, owner.actor, { name: 'Web <site>' });
  quiet = await makeComponent(t.app, owner.actor, { name: 'Quiet' });
  const open = async (body: Record<string, unknown>) => {
    const res = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ severity: 'P2', status: 'investigating', message: 'Looking ]]> into <it> & more.', ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  apiIncident = await open({ title: 'API <errors> & "timeouts"', componentStatuses: { [api.id]: 'partial_outage' } });
  clock.advance(60_000);
  webIncident = await open({ title: 'Slow pages', componentStatuses: { [web.id]: 'degraded_performance' } });
  clock.advance(60_000);
  // A later update that sets no component: still about the component its incident touched.
  const update = await request(t.app.server)
    .post(`/api/admin/incidents/${apiIncident}/updates`)
    .set(responder.auth)
    .send({ status: 'identified', message: 'Found it.' });
  expect(update.status).toBe(201);
  clock.advance(60_000);
});

const get = (path: string) => request(t.app.server).get(path).buffer(true).parse((res, cb) => {
  let data = '';
  res.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
  res.on('end', () => cb(null, data));
});

interface AtomEntry {
  id: string;
  title: { '#text': string; '@_type'?: string } | string;
  updated: string;
  link: { '@_href': string; '@_rel'?: string };
  content: { '#text': string; '@_type': string };
}

function parseAtom(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link' }).parse(xml);
  const feed = parsed.feed as Record<string, unknown> & { entry?: Array<Omit<AtomEntry, 'link'> & { link: AtomEntry['link'][] }>; link: AtomEntry['link'][] };
  return feed;
}

const text = (v: AtomEntry['title']) => (typeof v === 'string' ? v : v['#text']);

describe('GET /feed.atom', () => {
  it('is valid Atom with every required element, newest first', async () => {
    const res = await get('/feed.atom');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = parseAtom(String(res.body));
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`${PUBLIC_URL}/feed.atom`);
    expect(String(feed.title)).toContain('Example Status');
    expect(feed.link).toContainEqual({ '@_rel': 'self', '@_href': `${PUBLIC_URL}/feed.atom` });
    expect(feed.link).toContainEqual({ '@_rel': 'alternate', '@_href': `${PUBLIC_URL}/` });
    expect(feed.author).toMatchObject({ name: 'Example Status' });
    const entries = feed.entry!;
    expect(entries).toHaveLength(3);
    expect(feed.updated).toBe(entries[0]!.updated);
    for (const entry of entries) {
      expect(entry.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(text(entry.title)).toBeTruthy();
      expect(new Date(entry.updated).toISOString()).toBe(entry.updated);
      // No rel means rel="alternate" (RFC 4287 §4.2.7.2).
      expect(entry.link[0]!['@_rel'] ?? 'alternate').toBe('alternate');
      expect(entry.link[0]!['@_href']).toMatch(new RegExp(`^${PUBLIC_URL}/incidents/`));
      expect(entry.content['@_type']).toBe('html');
    }
    const times = entries.map((e) => Date.parse(e.updated));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('carries the same entries as the RSS feed, titles escaped as HTML', async () => {
    const atom = parseAtom(String((await get('/feed.atom')).body));
    const rss = String((await get('/feed.rss')).body);
    const guids = [...rss.matchAll(/<guid isPermaLink="false">([^<]+)<\/guid>/g)].map((m) => m[1]);
    expect(atom.entry!.map((e) => e.id.replace('urn:uuid:', ''))).toEqual(guids);
    const entry = atom.entry!.find((e) => e.link[0]!['@_href'].includes(apiIncident) && text(e.title).startsWith('[Investigating]'))!;
    // type="html": the reader decodes it once more and shows the title as typed.
    expect(entry.title).toMatchObject({ '@_type': 'html' });
    expect(text(entry.title)).toBe('[Investigating] API &lt;errors&gt; &amp; &quot;timeouts&quot;');
    expect(entry.content['#text']).toContain('Looking ]]&gt; into &lt;it&gt; &amp; more.');
  });
});

describe('?component=ID', () => {
  it.each(['rss', 'atom'])('narrows /feed.%s to the incidents that touched the component', async (kind) => {
    const body = String((await get(`/feed.${kind}?component=${api.id}`)).body);
    expect(XMLValidator.validate(body)).toBe(true);
    expect(body).toContain(`/incidents/${apiIncident}#`);
    expect(body).not.toContain(`/incidents/${webIncident}#`);
    // Both updates, the one that set no component included.
    expect(body.match(new RegExp(`/incidents/${apiIncident}#`, 'g'))!.length).toBe(2);
    expect(body).toContain(`${PUBLIC_URL}/feed.${kind}?component=${api.id}`);
  });

  it('names the component in the title, escaped', async () => {
    const feed = parseAtom(String((await get(`/feed.atom?component=${web.id}`)).body));
    expect(String(feed.title)).toBe('Example Status — Web <site>');
  });

  it('is an empty, valid feed for a component no incident touched', async () => {
    const res = await get(`/feed.atom?component=${quiet.id}`);
    expect(res.status).toBe(200);
    expect(parseAtom(String(res.body)).entry).toBeUndefined();
  });

  it.each(['rss', 'atom'])('answers 404 on /feed.%s for an unknown or malformed component, never cached', async (kind) => {
    for (const id of [randomUUID(), 'nope', '']) {
      const res = await get(`/feed.${kind}?component=${id}`);
      expect(res.status, id).toBe(404);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('conditional requests', () => {
  it.each(['rss', 'atom'])('/feed.%s sends ETag and Last-Modified (the newest entry) and answers 304', async (kind) => {
    const res = await get(`/feed.${kind}`);
    const newest = parseAtom(String((await get('/feed.atom')).body)).entry![0]!.updated;
    expect(res.headers['last-modified']).toBe(new Date(newest).toUTCString());
    expect(res.headers.etag).toBeTruthy();
    expect((await get(`/feed.${kind}`).set('if-none-match', res.headers.etag!)).status).toBe(304);
    expect((await get(`/feed.${kind}`).set('if-modified-since', res.headers['last-modified']!)).status).toBe(304);
    const before = new Date(Date.parse(newest) - 1000).toUTCString();
    expect((await get(`/feed.${kind}`).set('if-modified-since', before)).status).toBe(200);
    // If-None-Match decides when both are sent (RFC 9110 §13.1.3).
    expect((await get(`/feed.${kind}`).set('if-none-match', '"other"').set('if-modified-since', res.headers['last-modified']!)).status).toBe(200);
    expect((await get(`/feed.${kind}`).set('if-modified-since', 'not a date')).status).toBe(200);
  });

  it('answers a newer entry with 200 to the old If-Modified-Since', async () => {
    const old = (await get('/feed.atom')).headers['last-modified']!;
    clock.advance(60_000);
    const res = await request(t.app.server).post(`/api/admin/incidents/${webIncident}/updates`).set(responder.auth).send({ status: 'identified', message: 'Cache node.' });
    expect(res.status).toBe(201);
    const fresh = await get('/feed.atom').set('if-modified-since', old);
    expect(fresh.status).toBe(200);
    expect(String(fresh.body)).toContain('Cache node.');
  });

  it('pages keep ignoring If-Modified-Since: their render time says nothing of their content', async () => {
    const res = await get('/');
    expect((await get('/').set('if-modified-since', res.headers['last-modified']!)).status).toBe(200);
  });
});
