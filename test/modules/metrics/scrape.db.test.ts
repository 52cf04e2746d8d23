import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { SCRAPE_KEPT_MS } from '../../../src/modules/metrics/metrics.routes.js';
import { RENAMED_PROCESS_GAUGES } from '../../../src/modules/metrics/process-metrics.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { lintMetrics, parseFamilies } from '../../helpers/promlint.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let responder: TestUser;
let deliveryCountCalls = 0;

test.override('appOptions', {
  now: clock.now,
  extra: {
    deliveryCounts: async () => {
      deliveryCountCalls += 1;
      return [{ state: 'sent', count: 2 }];
    },
  },
});
test.beforeAll(({ testApp, responder: r }) => {
  t = testApp;
  responder = r;
});

/** Counts the queries the app's database handle is asked for while `run` runs. */
async function queriesDuring(run: () => Promise<unknown>): Promise<number> {
  const db = t.app.db as unknown as Record<string, (...args: unknown[]) => unknown>;
  const spies = ['select', 'selectDistinct', 'execute', 'insert', 'update', 'delete', 'transaction'].map((method) => vi.spyOn(db, method));
  try {
    await run();
    return spies.reduce((total, spy) => total + spy.mock.calls.length, 0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const scrape = () => request(t.app.server).get('/metrics').expect(200);
const openP1 = (text: string) => Number(/^heliograph_incidents_open\{severity="P1",draft="false"\} (\d+)$/m.exec(text)?.[1]);

// Regression: every scrape ran its queries, so a flood of scrapes was a flood of queries on the
// database the page is rendered from.
describe('a scrape of /metrics', () => {
  it('reads the database once, then serves the same text until SCRAPE_KEPT_MS has passed', async () => {
    let first = '';
    expect(await queriesDuring(async () => (first = (await scrape()).text))).toBeGreaterThan(0);
    expect(deliveryCountCalls).toBe(1);

    const flood = await queriesDuring(async () => {
      await Promise.all(Array.from({ length: 20 }, () => scrape()));
      clock.advance(SCRAPE_KEPT_MS - 1);
      for (let i = 0; i < 5; i += 1) expect((await scrape()).text).toBe(first);
    });
    expect(flood).toBe(0);
    expect(deliveryCountCalls).toBe(1);
  });

  it('shows a write once the kept text has expired', async () => {
    const before = openP1((await scrape()).text);
    await request(t.app.server)
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'x', severity: 'P1', status: 'investigating', message: 'm' })
      .expect(201);
    // At most SCRAPE_KEPT_MS late.
    expect(openP1((await scrape()).text)).toBe(before);
    clock.advance(SCRAPE_KEPT_MS);
    expect(openP1((await scrape()).text)).toBe(before + 1);
  });
});

describe('metric names', () => {
  it('pass the naming rules of promtool check metrics', async () => {
    clock.advance(SCRAPE_KEPT_MS);
    expect(lintMetrics((await scrape()).text)).toEqual([]);
  });

  it('publish prom-client’s _total gauges under names without it', async () => {
    clock.advance(SCRAPE_KEPT_MS);
    const families = parseFamilies((await scrape()).text);
    for (const { from, to } of RENAMED_PROCESS_GAUGES) {
      expect(families.has(`heliograph_${from}`), from).toBe(false);
      expect(families.get(`heliograph_${to}`)?.type, to).toBe('gauge');
    }
  });

  it('include the event loop’s lag, measured by monitorEventLoopDelay', async () => {
    clock.advance(SCRAPE_KEPT_MS);
    const families = parseFamilies((await scrape()).text);
    for (const name of ['lag_seconds', 'lag_p50_seconds', 'lag_p90_seconds', 'lag_p99_seconds', 'lag_max_seconds']) {
      expect(families.get(`heliograph_nodejs_eventloop_${name}`)?.type, name).toBe('gauge');
    }
  });

  it('report the render cache: bytes, entries, hits and misses (a ratio), stale answers, the breaker', async () => {
    await request(t.app.server).get('/').expect(200);
    await request(t.app.server).get('/').expect(200);
    clock.advance(SCRAPE_KEPT_MS);
    const text = (await scrape()).text;
    const families = parseFamilies(text);
    for (const name of ['bytes', 'entries', 'breaker_state']) expect(families.get(`heliograph_render_cache_${name}`)?.type, name).toBe('gauge');
    for (const name of ['hits', 'misses', 'stale_served', 'busy', 'renders', 'direct_answers']) {
      expect(families.get(`heliograph_render_cache_${name}_total`)?.type, name).toBe('counter');
    }
    const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('heliograph_render_cache_bytes')).toBeGreaterThan(0);
    expect(value('heliograph_render_cache_entries')).toBeGreaterThan(0);
    expect(value('heliograph_render_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(value('heliograph_render_cache_misses_total')).toBeGreaterThanOrEqual(1);
    // The second GET / found its render current: it was answered before routing.
    expect(value('heliograph_render_cache_direct_answers_total')).toBeGreaterThanOrEqual(1);
    expect(value('heliograph_render_cache_breaker_state{state="closed"}')).toBe(1);
    expect(value('heliograph_render_cache_breaker_state{state="open"}')).toBe(0);
  });

  // The linter itself must catch what it is there to catch.
  it('are checked by a linter that finds a gauge named like a counter', () => {
    const text = '# HELP x_things_total Things.\n# TYPE x_things_total gauge\nx_things_total 3\n';
    expect(lintMetrics(text)).toEqual(['x_things_total: non-counter metrics should not have "_total" suffix']);
  });
});
