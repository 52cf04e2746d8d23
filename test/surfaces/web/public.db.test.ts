import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';

/**
 * The public surface: what readers see on /, /incidents/:id, /history and /feed.rss, what
 * never reaches them (drafts, raw HTML), and how pages are cached. One app for the file; the
 * tests build on each other's data in order, and the last one closes the database.
 */

const clock = new TestClock('2026-11-24T10:00:00Z');
const PUBLIC_URL = 'https://status.example.test';
const POSTMORTEM_DUE = '2026-12-31T00:00:00Z';

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let invalidate: MockInstance<() => void>;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now });
  owner = await makeUser(t.app, 'owner');
  responder = await makeUser(t.app, 'responder');
  // Calls through: only counted, so a test can wait for a write to have reached the cache.
  invalidate = vi.spyOn(t.app.publicCache, 'invalidate');
});
afterAll(() => t.close().catch(() => {}));

const api = () => request(t.app.server);
const minutes = (n: number) => n * 60_000;
const daysAgo = (n: number) => new Date(clock.now().getTime() - n * 86_400_000).toISOString();

/**
 * Every admin write makes the renders stale at once; its own NOTIFY on PostgreSQL is ignored
 * (the process acted on its write already), so one invalidation per write.
 */
async function settled(before: number): Promise<void> {
  const expected = before + 1;
  await vi.waitFor(() => expect(invalidate.mock.calls.length).toBeGreaterThanOrEqual(expected), { timeout: 5_000 });
}

async function write(req: Promise<Response>, status: number): Promise<Response> {
  const before = invalidate.mock.calls.length;
  const res = await req;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  await settled(before);
  return res;
}

interface IncidentBody {
  id: string;
  updates: Array<{ id: string; publishedAt: string | null }>;
}

async function openIncident(body: Record<string, unknown>): Promise<IncidentBody> {
  const res = await write(
    api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ severity: 'P3', status: 'investigating', message: 'We are looking into it.', ...body }),
    201,
  );
  return res.body;
}

async function addUpdate(id: string, body: Record<string, unknown>): Promise<IncidentBody> {
  return (await write(api().post(`/api/admin/incidents/${id}/updates`).set(responder.auth).send(body), 201)).body;
}

async function resolveIncident(id: string, body: Record<string, unknown> = {}): Promise<IncidentBody> {
  const res = await write(
    api()
      .post(`/api/admin/incidents/${id}/resolve`)
      .set(responder.auth)
      .send({ message: 'This is resolved.', summary: 'It is fixed.', postmortemDueAt: POSTMORTEM_DUE, ...body }),
    200,
  );
  return res.body;
}

async function createComponent(body: Record<string, unknown>): Promise<{ id: string }> {
  return (await write(api().post('/api/admin/components').set(owner.auth).send(body), 201)).body;
}

async function setComponentStatus(id: string, status: string): Promise<void> {
  await write(api().patch(`/api/admin/components/${id}`).set(responder.auth).send({ status }), 200);
}

/** A public page as a browser asks for it. */
async function page(path: string): Promise<Response> {
  return api().get(path).set('Accept', 'text/html');
}

/** The markup from `start` to the first of `ends` after it. */
function between(html: string, start: string, ends: string[]): string {
  const from = html.indexOf(start);
  expect(from, `${start} not found`).toBeGreaterThanOrEqual(0);
  const stops = ends.map((e) => html.indexOf(e, from + start.length)).filter((i) => i >= 0);
  return html.slice(from, stops.length > 0 ? Math.min(...stops) : undefined);
}

const LABELS = ['Operational', 'Under maintenance', 'Degraded performance', 'Partial outage', 'Major outage'];

/** The status label shown beside a component or group name on the status page. */
function statusShownFor(html: string, name: string): string | undefined {
  const row = between(html, `>${name}<`, ['</li>', '<ul']);
  return LABELS.find((label) => row.includes(`>${label}<`));
}

const SCRIPT_TAG = /<script/i;
/** The one script a page may have: its own file, served from the page's origin (public/page.js). */
const OWN_SCRIPT = /<script type="module" src="(\/page\.js\?v=[0-9a-f]{12})"><\/script>/;
/** The page without its own script: no other may be there, inline or not. */
const withoutOwnScript = (html: string) => html.replace(OWN_SCRIPT, '');

describe('GET /: the status page', () => {
  let api1: { id: string };
  let database: { id: string };

  it('says "All Systems Operational" and lists components by group with their status', async () => {
    const group = (await write(api().post('/api/admin/component-groups').set(owner.auth).send({ name: 'Core platform' }), 201)).body;
    api1 = await createComponent({ name: 'Public API', groupId: group.id, position: 1 });
    database = await createComponent({ name: 'Primary database', groupId: group.id, position: 2 });
    await createComponent({ name: 'Marketing website', position: 3 });

    const res = await page('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('All Systems Operational');
    for (const name of ['Core platform', 'Public API', 'Primary database', 'Marketing website']) {
      expect(statusShownFor(res.text, name), name).toBe('Operational');
    }
    // The group's block holds its members and nothing else.
    const core = between(res.text, '>Core platform<', ['</ul>']);
    expect(core).toContain('Public API');
    expect(core).toContain('Primary database');
    expect(core).not.toContain('Marketing website');
    expect(res.text).toContain('Marketing website');
  });

  it.each([
    ['under_maintenance', 'Service Under Maintenance', 'Under maintenance'],
    ['degraded_performance', 'Minor Service Outage', 'Degraded performance'],
    ['partial_outage', 'Partial System Outage', 'Partial outage'],
    ['major_outage', 'Major System Outage', 'Major outage'],
  ])('says so in Statuspage wording when a component is %s', async (status, headline, label) => {
    await setComponentStatus(database.id, status);
    const res = await page('/');
    expect(res.text).toContain(headline);
    expect(res.text).not.toContain('All Systems Operational');
    expect(statusShownFor(res.text, 'Primary database')).toBe(label);
    // The group shows the worst of its members.
    expect(statusShownFor(res.text, 'Core platform')).toBe(label);
    expect(statusShownFor(res.text, 'Public API')).toBe('Operational');

    await setComponentStatus(database.id, 'operational');
    expect((await page('/')).text).toContain('All Systems Operational');
  });

  it('shows every active incident with its latest update, when it was posted, and the worse status', async () => {
    clock.advance(minutes(1));
    const errors = await openIncident({
      title: 'Elevated API error rates',
      severity: 'P2',
      message: 'We are investigating elevated error rates.',
      componentStatuses: { [api1.id]: 'degraded_performance' },
    });
    clock.advance(minutes(7));
    const identified = await addUpdate(errors.id, { status: 'identified', message: 'The cause is a **bad deploy**; rolling back.' });
    const latestUpdate = identified.updates.at(-1)!;
    const logins = await openIncident({ title: 'Login failures', severity: 'P1', message: 'Some sign-ins fail.' });
    clock.advance(minutes(5));

    const res = await page('/');
    expect(res.text).toContain('Partial System Outage'); // the P1 incident, though no component says so
    expect(res.text).toContain('Elevated API error rates');
    expect(res.text).toContain('The cause is a <strong>bad deploy</strong>; rolling back.');
    expect(res.text).toContain('Login failures');
    expect(res.text).toContain('Some sign-ins fail.');
    // The time in the display zone; the page's script adds "(5 minutes ago)" with the reader's
    // clock (test/e2e/status-page.browser.db.test.ts), so the render need not change every minute.
    expect(res.text).toContain(`Posted <time datetime="${latestUpdate.publishedAt}" data-ago>Nov 24, 2026, 10:08 UTC</time>`);
    expect(res.text).not.toContain('minutes ago');
    expect(latestUpdate.publishedAt).toBe('2026-11-24T10:08:00.000Z');
    expect(statusShownFor(res.text, 'Public API')).toBe('Degraded performance');

    await resolveIncident(errors.id);
    await resolveIncident(logins.id);
    const after = await page('/');
    expect(after.text).toContain('All Systems Operational');
    expect(statusShownFor(after.text, 'Public API')).toBe('Operational');
  });

  it('lists the incidents of the last 14 days under the day they started', async () => {
    const recent = await openIncident({ title: 'Queue backlog three days ago', startedAt: daysAgo(3), detectedAt: daysAgo(3) });
    await resolveIncident(recent.id, { summary: 'A stuck consumer.' });
    // Started and ended before the 14 days: not on the page.
    const now = clock.now();
    clock.set(daysAgo(20));
    const old = await openIncident({ title: 'Outage twenty days ago' });
    clock.advance(minutes(30));
    await resolveIncident(old.id);
    clock.set(now);
    // Started before the 14 days but ended today: listed today, the day it ended.
    const long = await openIncident({ title: 'Degradation since last month', startedAt: daysAgo(18), detectedAt: daysAgo(18) });
    await resolveIncident(long.id);

    const res = await page('/');
    // Days run newest first: the 21st's block ends where the 20th's begins.
    const day = between(res.text, '<time datetime="2026-11-21">', ['<time datetime="2026-11-20">']);
    expect(day).toContain('Queue backlog three days ago');
    const today = between(res.text, '<time datetime="2026-11-24">', ['<time datetime="2026-11-23">']);
    expect(today).toContain('Elevated API error rates');
    expect(today).toContain('Login failures');
    expect(today).toContain('Degradation since last month');
    expect(between(res.text, '<time datetime="2026-11-23">', ['<time datetime="2026-11-22">'])).not.toContain('past-incident');
    expect(res.text).toContain('<time datetime="2026-11-11">');
    expect(res.text).not.toContain('<time datetime="2026-11-10">');
    expect(res.text).not.toContain('Outage twenty days ago');
  });

  it('marks every time up as <time datetime> in UTC', async () => {
    const res = await page('/');
    const stamps = [...res.text.matchAll(/<time datetime="([^"]*)"/g)].map((m) => m[1]!);
    expect(stamps.length).toBeGreaterThan(14);
    for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\.\d{3}Z)?$/);
    expect(stamps.filter((s) => s.endsWith('Z')).length).toBeGreaterThan(0);
  });

  it('has no inline script, only its own script file, and the page with its stylesheet and script weighs under 50 KB', async () => {
    const res = await api().get('/').set('Accept-Encoding', 'identity');
    expect(withoutOwnScript(res.text)).not.toMatch(SCRIPT_TAG);
    const css = res.text.match(/<link rel="stylesheet" href="([^"]+)"/)![1]!;
    const style = await api().get(css).set('Accept-Encoding', 'identity');
    expect(style.status).toBe(200);
    expect(style.text).not.toMatch(SCRIPT_TAG);
    const js = res.text.match(OWN_SCRIPT)![1]!;
    const script = await api().get(js).set('Accept-Encoding', 'identity');
    expect(script.status).toBe(200);
    // A module script is only run when served as JavaScript.
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Buffer.byteLength(res.text) + Buffer.byteLength(style.text) + Buffer.byteLength(script.text)).toBeLessThan(50 * 1024);
  });
});

describe('escaping', () => {
  const TITLE = '<script>alert(1)</script> & "x"';
  const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;';
  let id: string;

  beforeAll(async () => {
    clock.advance(minutes(1));
    id = (await openIncident({ title: TITLE, message: 'See [x](javascript:alert(1)) and <img src=x onerror=alert(1)> now.' })).id;
  });

  it.each(['/', '/incidents/:id', '/history'])('shows %s the title escaped and the body sanitised', async (path) => {
    const res = await page(path.replace(':id', id));
    expect(res.status).toBe(200);
    expect(res.text).toContain(ESCAPED);
    expect(res.text).not.toContain(TITLE);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(withoutOwnScript(res.text)).not.toMatch(SCRIPT_TAG);
    expect(res.text).not.toMatch(/javascript:/i);
    expect(res.text).not.toMatch(/<img/i);
    expect(res.text).not.toMatch(/onerror=/i);
  });

  it('keeps the feed free of the hostile markup, and its title as plain text', async () => {
    const res = await api().get('/feed.rss');
    expect(res.text).not.toMatch(/javascript:/i);
    expect(res.text).not.toMatch(/<img/i);
    expect(res.text).not.toMatch(/onerror=/i);
    const item = feedItems(res.text).find((i) => i.link.includes(id))!;
    expect(item.title).toBe(`[Investigating] ${TITLE}`);
    expect(item.description).not.toMatch(/<script|<img|javascript:/i);
  });

  afterAll(async () => {
    await resolveIncident(id);
  });
});

describe('drafts', () => {
  const TITLE = 'Draft about DNS trouble';
  const MESSAGE = 'Held back until the commander agrees.';
  let id: string;

  const publicPaths = () => ['/', `/incidents/${id}`, '/history', '/feed.rss'];

  it('appear on no public path', async () => {
    clock.advance(minutes(1));
    const draft = await openIncident({ title: TITLE, message: MESSAGE, severity: 'P0', draft: true });
    id = draft.id;
    for (const path of publicPaths()) {
      const res = await page(path);
      expect(res.text, path).not.toContain(TITLE);
      expect(res.text, path).not.toContain(MESSAGE);
      expect(res.text, path).not.toContain(id);
    }
    expect((await page(`/incidents/${id}`)).status).toBe(404);
    // A P0 draft does not turn the page either.
    expect((await page('/')).text).toContain('All Systems Operational');
  });

  it('appear on every public path once published', async () => {
    clock.advance(minutes(1));
    await write(api().post(`/api/admin/incidents/${id}/publish`).set(responder.auth).send({}), 200);
    for (const path of publicPaths()) {
      const res = await page(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain(TITLE);
    }
    expect((await page(`/incidents/${id}`)).text).toContain(MESSAGE);
    expect((await page('/')).text).toContain('Major System Outage');
    await resolveIncident(id);
  });
});

describe('caching', () => {
  const POLICY = /^public, max-age=\d+, stale-while-revalidate=\d+, stale-if-error=\d+$/;

  it.each(['/', '/history', '/feed.rss'])('%s carries an ETag and a CDN-fit Cache-Control', async (path) => {
    const res = await api().get(path);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['cache-control']).toMatch(POLICY);
    expect(res.headers['cache-control']).toBe('public, max-age=15, stale-while-revalidate=60, stale-if-error=86400');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['last-modified']).toBeDefined();
  });

  it('answers a repeat with If-None-Match with 304 and no body', async () => {
    await api().get('/');
    await t.app.publicCache.settled();
    const first = await api().get('/');
    const again = await api().get('/').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers['content-length'] ?? '0').toBe('0');
    expect(again.headers.etag).toBe(first.headers.etag);
    // A weak validator and a list both match too: If-None-Match compares weakly.
    expect((await api().get('/').set('If-None-Match', `"other", W/${first.headers.etag}`)).status).toBe(304);
    expect((await api().get('/').set('If-None-Match', '"not-this-one"')).status).toBe(200);
  });

  it('sends br and gzip made at render time, each the same bytes as the plain response', async () => {
    const plain = await api().get('/').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await api().get('/').set('Accept-Encoding', 'br');
    const gzip = await api().get('/').set('Accept-Encoding', 'gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    // supertest decompresses both: what a browser reads is the same page.
    expect(br.text).toBe(plain.text);
    expect(gzip.text).toBe(plain.text);
    expect(Number(br.headers['content-length'])).toBeLessThan(Buffer.byteLength(plain.text));
    expect(Number(gzip.headers['content-length'])).toBeLessThan(Buffer.byteLength(plain.text));
    expect((await api().get('/').set('Accept-Encoding', 'gzip, deflate, br')).headers['content-encoding']).toBe('br');
    expect((await api().get('/').set('Accept-Encoding', 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');

    // And the bytes on the wire, undecoded.
    const raw = (encoding: string) => t.app.inject({ url: '/', headers: { 'accept-encoding': encoding } });
    const identity = (await raw('identity')).rawPayload;
    expect(identity.toString()).toBe(plain.text);
    expect(brotliDecompressSync((await raw('br')).rawPayload).equals(identity)).toBe(true);
    expect(gunzipSync((await raw('gzip')).rawPayload).equals(identity)).toBe(true);
  });

  // RFC 9110: a strong validator names one representation, and the br, gzip and plain bytes
  // differ. Yet a client holding any of them holds the same page, so each earns a 304.
  it('gives each encoding its own ETag, and answers 304 to any of them', async () => {
    await api().get('/');
    await t.app.publicCache.settled();
    const plain = await api().get('/').set('Accept-Encoding', 'identity');
    const br = await api().get('/').set('Accept-Encoding', 'br');
    const gzip = await api().get('/').set('Accept-Encoding', 'gzip');
    expect(new Set([plain.headers.etag, br.headers.etag, gzip.headers.etag]).size).toBe(3);
    expect(br.headers.etag).toBe((plain.headers.etag as string).replace(/"$/, '-br"'));
    expect(gzip.headers.etag).toBe((plain.headers.etag as string).replace(/"$/, '-gz"'));
    for (const held of [plain, br, gzip]) {
      const res = await api().get('/').set('Accept-Encoding', 'br').set('If-None-Match', held.headers.etag as string);
      expect(res.status).toBe(304);
    }
  });

  it('sends a write’s first readers the page in quick compressed forms, and the best ones once they are made', async () => {
    await write(api().post('/api/admin/components').set(owner.auth).send({ name: 'Quick forms queue', showcase: true }), 201);
    const raw = (encoding: string) => t.app.inject({ url: '/', headers: { 'accept-encoding': encoding } });
    const first = await raw('br');
    const identity = (await raw('identity')).rawPayload;
    expect(identity.toString()).toContain('Quick forms queue');
    expect(first.headers.etag).toMatch(/-brq"$/);
    expect(brotliDecompressSync(first.rawPayload).equals(identity)).toBe(true);
    await t.app.publicCache.settled();
    const best = await raw('br');
    expect(best.headers.etag).toBe((first.headers.etag as string).replace(/-brq"$/, '-br"'));
    expect(brotliDecompressSync(best.rawPayload).equals(identity)).toBe(true);
    expect(best.rawPayload.length).toBeLessThan(first.rawPayload.length);
    // Whoever holds the quick form holds the page.
    expect((await api().get('/').set('Accept-Encoding', 'br').set('If-None-Match', first.headers.etag as string)).status).toBe(304);
  });

  it('renders the page once per change, whatever readers send', async () => {
    const view = vi.spyOn(t.app, 'view');
    const renders = () => view.mock.calls.filter(([template]) => template === 'pages/status').length;
    try {
      // Rendered now if the cache had no fresh page, served from memory if it had: either way,
      // from here on there is one render in the cache.
      await api().get('/');
      // The render's best compressed forms in place: from here on its bytes and validators hold still.
      await t.app.publicCache.settled();
      const first = await api().get('/');
      const base = renders();
      expect(base).toBeLessThanOrEqual(1);

      for (let i = 0; i < 20; i += 1) {
        const res = await api().get('/');
        expect(res.status).toBe(200);
        expect(res.headers.etag).toBe(first.headers.etag);
      }
      const headersThatMustNotRerender: Array<[string, Record<string, string>]> = [
        ['/', { 'Cache-Control': 'no-cache' }],
        ['/', { 'Cache-Control': 'no-cache, no-store, max-age=0' }],
        ['/', { Pragma: 'no-cache' }],
        ['/', { 'If-None-Match': 'garbage' }],
        ['/', { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' }],
        ['/', { 'Accept-Encoding': 'identity' }],
        ['/', { 'Accept-Encoding': 'br' }],
        ['/?x=1', {}],
        [`/?nocache=${randomUUID()}`, {}],
      ];
      for (const [path, headers] of headersThatMustNotRerender) {
        const res = await api().get(path).set(headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(200);
        // Each encoding has its own validator ("…-br", "…-gz"); the content behind them is one render.
        expect(sameContent(res.headers.etag as string, first.headers.etag as string)).toBe(true);
      }
      expect(renders()).toBe(base);
      expect(view).toHaveBeenCalledTimes(base);
    } finally {
      view.mockRestore();
    }
  });

  it('shows a write through the admin API on the very next GET', async () => {
    clock.advance(minutes(1));
    const incident = await openIncident({ title: 'Webhook delays' });
    const before = await api().get('/');
    expect(before.text).toContain('Webhook delays');

    const view = vi.spyOn(t.app, 'view');
    try {
      const count = invalidate.mock.calls.length;
      const res = await api()
        .post(`/api/admin/incidents/${incident.id}/updates`)
        .set(responder.auth)
        .send({ status: 'identified', message: 'A slow consumer; scaling it out.' });
      expect(res.status).toBe(201);
      // No waiting, no polling: the write dropped the render before its response left.
      const next = await api().get('/');
      expect(next.text).toContain('A slow consumer; scaling it out.');
      expect(next.headers.etag).not.toBe(before.headers.etag);
      expect(view.mock.calls.filter(([template]) => template === 'pages/status')).toHaveLength(1);
      await settled(count);
    } finally {
      view.mockRestore();
    }
    await resolveIncident(incident.id);
  });

  it('sends the versioned stylesheet for good, and the bare one for a short while', async () => {
    const home = await page('/');
    const href = home.text.match(/<link rel="stylesheet" href="([^"]+)"/)![1]!;
    expect(href).toMatch(/^\/style\.css\?v=[0-9a-f]+$/);
    const versioned = await api().get(href);
    expect(versioned.status).toBe(200);
    expect(versioned.headers['content-type']).toMatch(/^text\/css/);
    expect(versioned.headers['cache-control']).toMatch(/max-age=31536000\b/);
    expect(versioned.headers['cache-control']).toMatch(/\bimmutable\b/);

    for (const path of ['/style.css', '/style.css?v=0000000000', '/style.css?v=']) {
      const res = await api().get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('public, max-age=15, stale-while-revalidate=60, stale-if-error=86400');
      expect(res.headers.etag).toBe(versioned.headers.etag);
    }
  });
});

describe('GET /incidents/:id', () => {
  it('shows the whole public timeline newest first, with anchors and the resolution summary', async () => {
    clock.advance(minutes(1));
    const incident = await openIncident({ title: 'Search is slow', severity: 'P2', message: 'Searches take seconds.' });
    clock.advance(minutes(10));
    await addUpdate(incident.id, { status: 'identified', message: 'One search node has a full disk.' });
    clock.advance(minutes(10));
    await addUpdate(incident.id, { status: 'monitoring', message: 'Capacity added; watching.' });
    clock.advance(minutes(10));
    const done = await resolveIncident(incident.id, {
      message: 'Search is back to normal.',
      summary: 'A full disk on one search node slowed searches for 30 minutes; we added capacity.',
    });

    const res = await page(`/incidents/${incident.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Search is slow');
    expect(res.text).toContain('A full disk on one search node slowed searches for 30 minutes; we added capacity.');
    const anchors = [...res.text.matchAll(/id="update-([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(anchors).toEqual(done.updates.map((u) => u.id).reverse());
    const bodies = ['Search is back to normal.', 'Capacity added; watching.', 'One search node has a full disk.', 'Searches take seconds.'];
    const positions = bodies.map((b) => res.text.indexOf(b));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const u of done.updates) expect(res.text).toContain(`<time datetime="${u.publishedAt}" data-ago>`);
    expect(withoutOwnScript(res.text)).not.toMatch(SCRIPT_TAG);
  });

  it('answers an unknown incident with a 404 page for a browser', async () => {
    const res = await page(`/incidents/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('404');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each(['not-a-uuid', '12345', 'x'.repeat(100), '00000000-0000-0000-0000-00000000000g'])('answers 404 for /incidents/%s', async (id) => {
    const res = await page(`/incidents/${id}`);
    expect(res.status).toBe(404);
  });
});

describe('GET /history', () => {
  it('lists incidents by month, three to a page, older months on page 2', async () => {
    clock.advance(minutes(1));
    const october = await openIncident({ title: 'October certificate expiry', startedAt: '2026-10-05T08:00:00Z', detectedAt: '2026-10-05T08:00:00Z' });
    await resolveIncident(october.id);
    const july = await openIncident({ title: 'July storage outage', startedAt: '2026-07-14T08:00:00Z', detectedAt: '2026-07-14T08:00:00Z' });
    await resolveIncident(july.id);

    const first = await page('/history');
    expect(first.status).toBe(200);
    for (const month of ['November 2026', 'October 2026', 'September 2026']) expect(first.text).toContain(month);
    expect(between(first.text, 'October 2026', ['September 2026'])).toContain('October certificate expiry');
    expect(between(first.text, 'November 2026', ['October 2026'])).toContain('Search is slow');
    expect(first.text).not.toContain('July storage outage');
    expect(first.text).toContain('href="/history?page=2"');

    const second = await page('/history?page=2');
    expect(second.status).toBe(200);
    for (const month of ['August 2026', 'July 2026', 'June 2026']) expect(second.text).toContain(month);
    expect(between(second.text, 'July 2026', ['June 2026'])).toContain('July storage outage');
    expect(second.text).not.toContain('October certificate expiry');
    expect(second.text).toContain('href="/history?page=1"');
    expect(second.text).not.toContain('href="/history?page=3"');
  });

  it.each(['0', 'abc', '-1', '1.5', '1001'])('refuses ?page=%s with 400', async (value) => {
    const res = await api().get(`/history?page=${value}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'HG_INVALID', message: expect.any(String) });
    expect((await page(`/history?page=${value}`)).headers['content-type']).toMatch(/^text\/html/);
  });
});

interface FeedItem {
  title: string;
  link: string;
  guid: string;
  description: string;
  pubDate: string;
}

/** XML 1.0 Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, and pairs for the astral planes. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function feedItems(xml: string): FeedItem[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).not.toMatch(NOT_XML_CHAR);
  const parsed = new XMLParser({ ignoreAttributes: false, cdataPropName: false, parseTagValue: false, isArray: (name) => name === 'item' }).parse(xml);
  const items: Array<Record<string, unknown>> = parsed.rss.channel.item ?? [];
  return items.map((i) => ({
    title: String(i.title),
    link: String(i.link),
    guid: String((i.guid as Record<string, unknown>)['#text']),
    description: String(i.description ?? ''),
    pubDate: String(i.pubDate),
  }));
}

describe('GET /feed.rss', () => {
  let incidentId: string;
  /** The incident's updates, oldest first. */
  let updates: IncidentBody['updates'];
  const updateIds = () => updates.map((u) => u.id);

  beforeAll(async () => {
    clock.advance(minutes(1));
    const incident = await openIncident({ title: 'API errors', message: 'Errors on **some** calls. [Details](https://example.test/d) [x](javascript:alert(1))' });
    clock.advance(minutes(5));
    await addUpdate(incident.id, { status: 'identified', message: 'A bad deploy.' });
    clock.advance(minutes(5));
    const resolved = await resolveIncident(incident.id, { message: 'Rolled back.', summary: 'A bad deploy, rolled back.' });
    incidentId = incident.id;
    updates = resolved.updates;
  });

  it('is RSS, one item per public update, newest first', async () => {
    const res = await api().get('/feed.rss');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const items = feedItems(res.text);

    // Every published update of every public incident, and nothing else (drafts' held updates included).
    const list = await api().get('/api/admin/incidents?state=all').set(owner.auth);
    const published: string[] = [];
    for (const { id } of list.body as Array<{ id: string }>) {
      const detail = await api().get(`/api/admin/incidents/${id}`).set(owner.auth);
      if (detail.body.draft) continue;
      for (const u of detail.body.updates as IncidentBody['updates']) if (u.publishedAt) published.push(u.id);
    }
    expect(published.length).toBeLessThanOrEqual(50);
    expect(items.map((i) => i.guid).sort()).toEqual(published.sort());

    const times = items.map((i) => new Date(i.pubDate).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(items.slice(0, 3).map((i) => i.guid)).toEqual(updateIds().reverse());
  });

  it('titles items "[Status] Incident title" and links them absolutely to the update', async () => {
    const items = feedItems((await api().get('/feed.rss')).text).filter((i) => i.link.includes(incidentId));
    expect(items.map((i) => i.title)).toEqual(['[Resolved] API errors', '[Identified] API errors', '[Investigating] API errors']);
    expect(items.map((i) => i.link)).toEqual(updateIds().reverse().map((u) => `${PUBLIC_URL}/incidents/${incidentId}#update-${u}`));
    expect(items.map((i) => new Date(i.pubDate).toISOString())).toEqual(updates.map((u) => u.publishedAt).reverse());
    expect(items[0]!.description).toContain('A bad deploy, rolled back.');
  });

  it('carries update bodies as sanitised HTML', async () => {
    const item = feedItems((await api().get('/feed.rss')).text).find((i) => i.title === '[Investigating] API errors' && i.link.includes(incidentId))!;
    expect(item.description).toContain('<strong>some</strong>');
    expect(item.description).toContain('<a href="https://example.test/d" rel="nofollow noopener noreferrer">Details</a>');
    expect(item.description).not.toMatch(/javascript:/i);
  });

  it('stays well-formed XML whatever the text: ]]>, &, < and control characters', async () => {
    clock.advance(minutes(1));
    const hostile = 'Broken ]]> feed & <tag> \u0001bell\u0008 \uFFFE end';
    const incident = await openIncident({ title: hostile, message: `Body ]]> with & and < and \u0001\u0008 too ]]>` });
    clock.advance(minutes(1));
    await resolveIncident(incident.id, { message: 'Fixed ]]> &', summary: 'Summary ]]> & < \u0002 done' });

    const res = await api().get('/feed.rss');
    const items = feedItems(res.text).filter((i) => i.link.includes(incident.id));
    expect(items.map((i) => i.title)).toEqual(['[Resolved] Broken ]]> feed & <tag> bell  end', '[Investigating] Broken ]]> feed & <tag> bell  end']);
    expect(items[1]!.description).toContain('Body ]]&gt; with &amp; and &lt; and  too ]]&gt;');
    expect(items[0]!.description).toContain('Summary ]]&gt; &amp; &lt;  done');
  });
});

// Last in the file: it closes this file's database.
describe('when the database is unreachable', () => {
  it('serves pages from the last good render, and 503 for pages it never rendered', async () => {
    const good = await page('/');
    expect(good.status).toBe(200);
    await t.database.close();
    t.app.publicCache.invalidate(); // as a write would: the next request must try the database

    const res = await page('/');
    expect(res.status).toBe(200);
    // The last good render, with a notice that it may be out of date, and nothing else changed.
    const notice = /<p class="meta stale-notice" role="status">[^<]*out of date[^<]*<\/p>\n/;
    expect(res.text).toMatch(notice);
    expect(res.text.replace(notice, '')).toBe(good.text);
    expect(res.headers.etag).not.toBe(good.headers.etag);
    expect(res.headers['cache-control']).toMatch(/stale-if-error=\d+/);

    const html = await page('/history?page=7');
    expect(html.status).toBe(503);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('503');
    const json = await api().get('/history?page=7').set('Accept', 'application/json');
    expect(json.status).toBe(503);
    expect(json.body).toEqual({ error: 'HG_DATABASE_UNAVAILABLE', message: expect.any(String) });
  });
});

/** Whether two ETags name the same render, whatever encoding each was sent in. */
function sameContent(a: string, b: string): boolean {
  const base = (tag: string) => tag.replace(/-(br|gz)"$/, '"');
  return base(a) === base(b);
}
