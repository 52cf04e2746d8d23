import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { compress, encode } from '../../../src/surfaces/render-cache/render-cache.js';
import { withQuickGzip } from '../../../src/surfaces/render-cache/rendered.js';
import { answerFor, bodyIn, cacheControl, chooseEncoding, headerSetsFor, sendRendered } from '../../../src/surfaces/render-cache/send-rendered.js';

describe('chooseEncoding', () => {
  it.each([
    // What browsers and CDNs send.
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br, gzip', 'br'],
    ['gzip, deflate', 'gzip'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['deflate', 'identity'],
    ['identity', 'identity'],
    ['', 'identity'],
    [undefined, 'identity'],
    // Names are case-insensitive.
    ['GZIP, BR', 'br'],
    ['Gzip', 'gzip'],
  ] as const)('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0, br;q=0', 'identity'],
    ['gzip;q=0', 'identity'],
    ['br;q=0', 'identity'],
    ['gzip, br;q=0.0', 'gzip'],
    ['gzip;q=0, br', 'br'],
  ] as const)('q=0 excludes an encoding: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, br;q=0.8', 'br'],
    ['br;q=0.9, gzip', 'gzip'],
    ['gzip;q=0.7, br;q=0.7', 'br'],
    ['deflate;q=1, gzip;q=0.2', 'gzip'],
  ] as const)('prefers the higher quality, br on a tie: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['*, br;q=0', 'gzip'],
    ['*;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, *;q=0.1', 'gzip'],
    ['*;q=0.5, gzip;q=0', 'br'],
  ] as const)('"*" stands for every encoding not named: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  // RFC 9110 allows optional whitespace around ";" and "=": "br ;q=0" must still refuse br.
  it.each([
    ['gzip ; q=0.5, br ; q=0', 'gzip'],
    ['*, br ;q=0', 'gzip'],
    [' gzip , br ', 'br'],
    ['gzip;q=0 , br;q=0 ', 'identity'],
  ] as const)('tolerates whitespace around parameters: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('cacheControl', () => {
  it('says public with max-age, stale-while-revalidate and stale-if-error', () => {
    expect(cacheControl({ maxAgeSeconds: 15, staleWhileRevalidateSeconds: 60, staleIfErrorSeconds: 86_400 })).toBe(
      'public, max-age=15, stale-while-revalidate=60, stale-if-error=86400',
    );
  });

  it('writes zeros as they are', () => {
    expect(cacheControl({ maxAgeSeconds: 0, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0 })).toBe(
      'public, max-age=0, stale-while-revalidate=0, stale-if-error=0',
    );
  });

  it('marks an immutable policy as such: a versioned asset never needs revalidating', () => {
    expect(cacheControl({ maxAgeSeconds: 31_536_000, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0, immutable: true })).toBe(
      'public, max-age=31536000, immutable',
    );
  });
});

describe('headerSetsFor', () => {
  const policy = { maxAgeSeconds: 15, staleWhileRevalidateSeconds: 60, staleIfErrorSeconds: 86_400 };
  const rendered = compress({ contentType: 'text/html; charset=utf-8', body: '<p>up</p>' }, 0, Date.parse('2026-11-24T10:00:00Z'));
  const base = rendered.etag.slice(1, -1);

  it('one set per encoding: its own ETag, Content-Encoding only when compressed', () => {
    const sets = headerSetsFor(rendered, policy);
    const common = {
      'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT',
      'cache-control': 'public, max-age=15, stale-while-revalidate=60, stale-if-error=86400',
      vary: 'Accept-Encoding',
    };
    expect(sets.identity.full).toEqual({ etag: `"${base}"`, ...common, 'content-type': 'text/html; charset=utf-8' });
    expect(sets.br.full).toEqual({ etag: `"${base}-br"`, ...common, 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br' });
    expect(sets.gzip.full).toEqual({ etag: `"${base}-gz"`, ...common, 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
    // A 304 repeats the validators and the caching rules, not what describes a body it lacks.
    expect(sets.br.notModified).toEqual({ etag: `"${base}-br"`, ...common });
  });

  it('a render’s quick forms are other bytes, with validators of their own that still match the content', async () => {
    const quick = await encode({ contentType: 'text/html; charset=utf-8', body: '<p>up</p>' }, 0, Date.parse('2026-11-24T10:00:00Z'));
    expect(quick.etag).toBe(rendered.etag);
    const sets = headerSetsFor(withQuickGzip(quick), policy);
    expect([sets.identity.full.etag, sets.br.full.etag, sets.gzip.full.etag]).toEqual([`"${base}"`, `"${base}-brq"`, `"${base}-gzq"`]);
    // A client holding the quick form of the content has what the best form would give it.
    for (const held of [`"${base}-brq"`, `W/"${base}-gzq"`]) expect(answerFor({ 'if-none-match': held, 'accept-encoding': 'br' }, rendered).notModified).toBe(true);
    expect(answerFor({ 'if-none-match': `"${base}-brx"`, 'accept-encoding': 'br' }, rendered).notModified).toBe(false);
  });

  it('a render without its gzip form yet answers gzip as identity: the raw bytes, with their validator', async () => {
    const quick = await encode({ contentType: 'text/html; charset=utf-8', body: '<p>up</p>' }, 0, Date.parse('2026-11-24T10:00:00Z'));
    expect(quick.gzip).toBeNull();
    const sets = headerSetsFor(quick, policy);
    expect(sets.gzip).toEqual(sets.identity);
    expect(sets.gzip.full['content-encoding']).toBeUndefined();
    expect(bodyIn(quick, 'gzip')).toBe(quick.raw);
    expect(bodyIn(quick, 'br')).toBe(quick.br);
    const app = Fastify();
    app.get('/', (req, reply) => sendRendered(req, reply, quick, policy));
    const res = await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.etag).toBe(`"${base}"`);
    expect(res.body).toBe('<p>up</p>');
    await app.close();
  });

  it('an answer other than 200 is never stored downstream', () => {
    const missing = compress({ contentType: 'text/html; charset=utf-8', body: 'gone', status: 404 }, 0, 0);
    expect(headerSetsFor(missing, policy).gzip.full['cache-control']).toBe('no-store');
  });

  // The sets are shared by every request: one request must not be able to change another's.
  it('are frozen', () => {
    const sets = headerSetsFor(rendered, policy);
    expect(Object.isFrozen(sets.br.full) && Object.isFrozen(sets.br.notModified)).toBe(true);
  });
});

describe('sendRendered', () => {
  const policy = { maxAgeSeconds: 15, staleWhileRevalidateSeconds: 60, staleIfErrorSeconds: 86_400 };
  const immutable = { maxAgeSeconds: 31_536_000, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0, immutable: true };
  const contentDated = compress({ contentType: 'application/rss+xml', body: '<rss/>', lastModified: new Date('2026-11-24T09:00:00Z') }, 0, 0);
  let current = compress({ contentType: 'text/html; charset=utf-8', body: '<p>one</p>' }, 0, 0);

  async function server() {
    const app = Fastify();
    app.get('/page', (request, reply) => sendRendered(request, reply, current, policy));
    // The same bytes under two policies, as a stylesheet is served at its plain and its versioned URL.
    app.get('/asset', (request, reply) => sendRendered(request, reply, current, request.query && 'v' in (request.query as object) ? immutable : policy));
    app.get('/feed', (request, reply) => sendRendered(request, reply, contentDated, policy));
    await app.ready();
    return app;
  }

  it('sends the encoding asked for, with its headers, and the same again to the next request', async () => {
    const app = await server();
    for (let i = 0; i < 2; i += 1) {
      const res = await app.inject({ url: '/page', headers: { 'accept-encoding': 'gzip, br' } });
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.rawPayload.equals(current.br)).toBe(true);
      expect(res.headers.etag).toBe(`${current.etag.slice(0, -1)}-br"`);
    }
    const plain = await app.inject({ url: '/page' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('<p>one</p>');
  });

  it('answers 304 to the ETag of any encoding, and 200 with the new bytes once the render changes', async () => {
    const app = await server();
    const held = await app.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
    const again = await app.inject({ url: '/page', headers: { 'accept-encoding': 'br', 'if-none-match': String(held.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toMatch(/-br"$/);
    expect(again.headers['content-type']).toBeUndefined();

    current = compress({ contentType: 'text/html; charset=utf-8', body: '<p>two</p>' }, 1, 0);
    const changed = await app.inject({ url: '/page', headers: { 'if-none-match': String(held.headers.etag) } });
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toBe('<p>two</p>');
  });

  it('answers If-Modified-Since only where Last-Modified is the content’s own time', async () => {
    const app = await server();
    const feed = await app.inject({ url: '/feed', headers: { 'if-modified-since': 'Tue, 24 Nov 2026 09:00:00 GMT' } });
    expect(feed.statusCode).toBe(304);
    const page = await app.inject({ url: '/page', headers: { 'if-modified-since': 'Tue, 24 Nov 2099 09:00:00 GMT' } });
    expect(page.statusCode).toBe(200);
  });

  // Regression guard for the header sets kept per render: they are kept per policy too.
  it('gives the same render under two policies each its own Cache-Control', async () => {
    const app = await server();
    expect((await app.inject({ url: '/asset' })).headers['cache-control']).toMatch(/stale-while-revalidate/);
    expect((await app.inject({ url: '/asset?v=1' })).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/asset' })).headers['cache-control']).toMatch(/stale-while-revalidate/);
  });
});
