import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import type { TestUser } from '../helpers/factories.js';
import { test } from '../helpers/fixtures.js';

/**
 * The whole header set of each kind of answer, public and private, cached and not, success and
 * error. The security headers are written out as helmet (with our policy) sent them when it
 * built them on every request: they are now one block built at start, and must say exactly the
 * same. A header added, lost or changed anywhere here is a deliberate change or a regression.
 */
const SECURITY = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const PUBLIC_CACHE = 'public, max-age=15, stale-while-revalidate=60, stale-if-error=86400';
const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** What changes from one answer to the next (or per run) and is checked apart. */
const VARYING = new Set(['date', 'connection', 'keep-alive', 'content-length', 'etag', 'last-modified']);

const headerSet = (res: LightMyRequestResponse) => Object.fromEntries(Object.entries(res.headers).filter(([name]) => !VARYING.has(name)));

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;

test.override('appOptions', { now: clock.now });
test.beforeAll(async ({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/admin/incidents',
    headers: owner.auth,
    payload: { title: 'Slow logins', severity: 'P2', status: 'investigating', message: 'Looking into it.' },
  });
  expect(created.statusCode).toBe(201);
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

/** The same URL asked again with the validator it was given: the 304. */
async function revalidated(url: string, headers: Record<string, string> = {}) {
  const first = await get(url, headers);
  return get(url, { ...headers, 'if-none-match': String(first.headers.etag) });
}

describe('the full header set of each kind of answer', () => {
  it('the status page, compressed and not, and its 304', async () => {
    // As readers get it once the render's best compressed forms are made (the quick ones before them are `-brq`, `-gzq`).
    await get('/');
    await t.app.publicCache.settled();
    const br = await get('/', { 'accept-encoding': 'br, gzip' });
    expect(br.statusCode).toBe(200);
    expect(headerSet(br)).toEqual({ ...SECURITY, 'cache-control': PUBLIC_CACHE, vary: 'Accept-Encoding', 'content-type': HTML, 'content-encoding': 'br' });
    expect(br.headers.etag).toMatch(/^"[\w-]{27}-br"$/);

    const plain = await get('/');
    expect(headerSet(plain)).toEqual({ ...SECURITY, 'cache-control': PUBLIC_CACHE, vary: 'Accept-Encoding', 'content-type': HTML });
    expect(plain.headers.etag).toBe(String(br.headers.etag).replace(/-br"$/, '"'));
    expect(plain.headers['last-modified']).toBe(br.headers['last-modified']);

    const notModified = await revalidated('/', { 'accept-encoding': 'gzip' });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(headerSet(notModified)).toEqual({ ...SECURITY, 'cache-control': PUBLIC_CACHE, vary: 'Accept-Encoding' });
    expect(notModified.headers.etag).toMatch(/-gz"$/);
  });

  it('the Statuspage summary: readable from any origin, its 304 too', async () => {
    const res = await get('/api/v2/summary.json', { 'accept-encoding': 'br, gzip' });
    expect(res.statusCode).toBe(200);
    expect(headerSet(res)).toEqual({
      ...SECURITY,
      'access-control-allow-origin': '*',
      'cache-control': PUBLIC_CACHE,
      vary: 'Accept-Encoding',
      'content-type': JSON_TYPE,
      'content-encoding': 'br',
    });
    const notModified = await revalidated('/api/v2/summary.json');
    expect(notModified.statusCode).toBe(304);
    expect(headerSet(notModified)).toEqual({ ...SECURITY, 'access-control-allow-origin': '*', 'cache-control': PUBLIC_CACHE, vary: 'Accept-Encoding' });
  });

  it('the preflight of a cross-origin API read', async () => {
    const res = await t.app.inject({ method: 'OPTIONS', url: '/api/v2/summary.json' });
    expect(res.statusCode).toBe(204);
    expect(headerSet(res)).toEqual({
      ...SECURITY,
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'If-None-Match, Accept, Accept-Encoding',
      'access-control-max-age': '86400',
    });
  });

  it('a feed', async () => {
    // Once its best forms are made: a new render has no gzip form, and answers gzip as identity until then.
    await get('/feed.rss');
    await t.app.publicCache.settled();
    const res = await get('/feed.rss', { 'accept-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(headerSet(res)).toEqual({
      ...SECURITY,
      'cache-control': PUBLIC_CACHE,
      vary: 'Accept-Encoding',
      'content-type': 'application/rss+xml; charset=utf-8',
      'content-encoding': 'gzip',
    });
  });

  it('the shared 404 of an unknown incident: never cached downstream', async () => {
    const res = await get(`/incidents/${randomUUID()}`);
    expect(res.statusCode).toBe(404);
    expect(headerSet(res)).toEqual({ ...SECURITY, 'cache-control': 'no-store', vary: 'Accept-Encoding', 'content-type': HTML });
  });

  it('the admin API, signed in and not', async () => {
    const res = await get('/api/admin/components', owner.auth);
    expect(res.statusCode).toBe(200);
    expect(headerSet(res)).toEqual({ ...SECURITY, 'content-type': JSON_TYPE, 'cache-control': 'no-store' });
    const refused = await get('/api/admin/components');
    expect(refused.statusCode).toBe(401);
    expect(headerSet(refused)).toEqual({ ...SECURITY, 'content-type': JSON_TYPE, 'cache-control': 'no-store' });
  });

  it('an unknown path, the health check and /metrics', async () => {
    const missing = await get('/no-such-page');
    expect(missing.statusCode).toBe(404);
    expect(headerSet(missing)).toEqual({ ...SECURITY, 'content-type': JSON_TYPE });
    const livez = await get('/livez');
    expect(headerSet(livez)).toEqual({ ...SECURITY, 'cache-control': 'no-store', 'content-type': JSON_TYPE });
    const metrics = await get('/metrics');
    expect(headerSet(metrics)).toEqual({ ...SECURITY, 'cache-control': 'no-store', 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  it('a stylesheet', async () => {
    const res = await get('/style.css');
    expect(headerSet(res)).toEqual({ ...SECURITY, 'cache-control': PUBLIC_CACHE, vary: 'Accept-Encoding', 'content-type': 'text/css; charset=utf-8' });
  });

  // The viewer's own script needs its own policy; a route's header wins over the block.
  it('the API viewer at /docs keeps its own Content-Security-Policy and every other security header', async () => {
    const res = await get('/docs');
    expect(res.statusCode).toBe(200);
    const { 'content-security-policy': policy, ...others } = headerSet(res);
    expect(policy).not.toBe(SECURITY['content-security-policy']);
    expect(others).toEqual({ ...Object.fromEntries(Object.entries(SECURITY).filter(([name]) => name !== 'content-security-policy')), 'content-type': HTML });
  });
});
