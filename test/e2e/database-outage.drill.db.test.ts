import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { testConfig } from '../helpers/app.js';
import { testDatabaseKind } from '../helpers/db.js';
import { makeUser, type TestUser } from '../helpers/factories.js';
import { canRunThrowawayPostgres, startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwaway-postgres.js';
import { withDatabase } from '../helpers/postgres-template.js';

/**
 * Fault drill: PostgreSQL stops while the page is being read, and comes back.
 *
 * Regression: with the database stopped, `/` answered a browser 503 with a JSON body (a write's
 * own NOTIFY, arriving after the first render, had left no last good render to fall back on),
 * and every public request waited for its own failed database attempt (~1.8 s each; 80
 * requests took 145 s). Now every public page keeps answering from its last render in the time
 * a cached answer takes, pages say they may be out of date, writes answer 503 `{ error,
 * message }`, and everything recovers without a restart.
 *
 * The drill stops a server, so it runs a cluster of its own (test/helpers/throwaway-postgres.ts),
 * never the shared one. It runs once per test run: in the PostgreSQL project when there is one,
 * else in the PGlite one, and only where the server binaries are installed.
 */
const project = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const runs = testDatabaseKind === project && canRunThrowawayPostgres();

/** Requests during the outage: bounded in number, each in time. */
const LOAD_REQUESTS = 80;
const CONCURRENCY = 8;
/** A cached answer takes milliseconds; this bound is generous for a shared, busy machine. */
const CACHED_ANSWER_MS = 1000;

describe.skipIf(!runs)('drill: PostgreSQL stops under load and comes back', { timeout: 120_000 }, () => {
  let pg: ThrowawayPostgres;
  let app: FastifyInstance;
  let base: string;
  let responder: TestUser;
  let incidentId: string;
  const warm = new Map<string, { status: number; body: string }>();

  const get = async (path: string, accept = 'text/html,application/xhtml+xml') => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { accept }, signal: AbortSignal.timeout(20_000) });
    const body = await res.text();
    return { status: res.status, body, type: res.headers.get('content-type') ?? '', ms: performance.now() - started };
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/api/admin${path}`, {
      method: 'POST',
      headers: { ...responder.auth, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin.unsafe('CREATE DATABASE heliograph_drill');
    await admin.end();
    const database = await openDatabase({ databaseUrl: withDatabase(pg.url, 'heliograph_drill') });
    await database.migrate();
    // Renders expire within the outage, so readers need the database and cannot have it.
    app = await buildApp({ config: testConfig({ renderTtlSeconds: 1 }), database, ownsDatabase: true, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    responder = await makeUser(app, 'responder');
  });

  afterAll(async () => {
    await app?.close().catch(() => {});
    await pg?.destroy();
  });

  it('before: an incident is open and every public page has been read once', async () => {
    const opened = await post('/incidents', { title: 'Checkout errors', severity: 'P2', status: 'investigating', message: 'We are looking into checkout errors.' });
    expect(opened.status).toBe(201);
    incidentId = opened.body.id as string;
    for (const path of publicPaths()) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      warm.set(path, res);
    }
    expect(warm.get('/')!.body).toContain('Checkout errors');
  });

  it('during: every public page answers 200 from its last render at once; a write answers 503 { error, message }', async () => {
    await pg.stop('fast');
    // Past the render TTL: from here on every page needs a database that is not there.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const paths = publicPaths();
    const results: Array<{ path: string; status: number; ms: number }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < LOAD_REQUESTS) {
          const path = paths[next++ % paths.length]!;
          const res = await get(path);
          results.push({ path, status: res.status, ms: res.ms });
        }
      }),
    );
    expect(results).toHaveLength(LOAD_REQUESTS);
    for (const r of results) {
      expect(r.status, r.path).toBe(200);
      expect(r.ms, `${r.path} took ${Math.round(r.ms)} ms`).toBeLessThan(CACHED_ANSWER_MS);
    }

    // A browser gets the page, saying discreetly that it may be out of date; machines get the
    // last render unchanged.
    const home = await get('/');
    expect(home.type).toMatch(/^text\/html/);
    expect(home.body).toMatch(/<p class="meta stale-notice" role="status">[^<]*out of date/);
    expect(home.body).toContain('Checkout errors');
    expect((await get('/api/v2/summary.json', 'application/json')).body).toBe(warm.get('/api/v2/summary.json')!.body);
    expect((await get('/feed.atom', 'application/atom+xml')).body).toBe(warm.get('/feed.atom')!.body);
    expect(app.publicCache.stats().staleServes).toBeGreaterThan(0);

    const write = await post(`/incidents/${incidentId}/updates`, { status: 'identified', message: 'Found it.' });
    expect(write.status).toBe(503);
    expect(write.body).toEqual({ error: 'HG_DATABASE_UNAVAILABLE', message: expect.any(String) });

    // The process is up and says so; it is not ready, as its database is not.
    expect((await get('/livez', 'application/json')).status).toBe(200);
    expect((await get('/readyz', 'application/json')).status).toBe(503);
  });

  it('after: PostgreSQL back, with no restart a write succeeds and shows on / within seconds', async () => {
    await pg.start();
    const message = 'The faulty release is rolled back.';
    let written = 0;
    await expect
      .poll(async () => (written = (await post(`/incidents/${incidentId}/updates`, { status: 'identified', message })).status), { timeout: 15_000, interval: 250 })
      .toBe(201);
    expect(written).toBe(201);
    await expect.poll(async () => (await get('/')).body, { timeout: 5_000, interval: 100 }).toContain(message);
    const home = await get('/');
    expect(home.body).not.toContain('stale-notice');
    expect(app.publicCache.stats().breaker).toBe('closed');
  });

  function publicPaths() {
    return ['/', '/api/v2/summary.json', '/feed.atom', '/feed.rss', `/incidents/${incidentId}`, '/history'];
  }
});
