import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import {
  compress,
  encode,
  RenderCache,
  STALE_NOTICE_MARKER,
  withNotice,
  type Rendered,
  type RenderCacheOptions,
  type RenderResult,
} from '../../../src/surfaces/render-cache/render-cache.js';

/**
 * The render cache through a database outage, on injected clocks: what is served at once, how
 * often the database is tried (backoff per key, one breaker for all), and how a burst of
 * writes and a flood of keys are bounded.
 */

const HTML = 'text/html; charset=utf-8';
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const isUnavailable = (error: unknown) => (error as { code?: string }).code === 'ECONNREFUSED';

function deferred() {
  let resolve!: (value: RenderResult) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<RenderResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A render that answers `body` while `up()` holds, and is refused otherwise; counts its calls. */
function database(body = 'page') {
  let up = true;
  const render = vi.fn(async (): Promise<RenderResult> => {
    if (!up) throw refused();
    return { contentType: HTML, body: `${body}${render.mock.calls.length}` };
  });
  return { render, stop: () => (up = false), start: () => (up = true) };
}

function setUp(options: Partial<RenderCacheOptions> = {}) {
  const clock = { ms: 0 };
  const cache = new RenderCache({
    ttlMs: 60_000,
    maxEntries: 100,
    isUnavailable,
    backoff: { initialMs: 100, maxMs: 400 },
    breaker: { failures: 3, probeAfterMs: 1000 },
    timeoutError: () => new Error('unavailable'),
    now: () => 1_000_000 + clock.ms,
    elapsed: () => clock.ms,
    ...options,
  });
  return { cache, clock };
}

const text = async (p: Promise<{ raw: Buffer }>) => (await p).raw.toString();

describe('RenderCache through an outage', () => {
  it('keeps the last good render through invalidations and serves it when the database is down', async () => {
    const { cache } = setUp();
    const db = database();
    expect(await text(cache.get('page:/', db.render))).toBe('page1');
    for (let i = 0; i < 5; i += 1) cache.invalidate();
    db.stop();
    expect(await text(cache.get('page:/', db.render))).toBe('page1');
    expect(cache.stats()).toMatchObject({ staleServes: 1, breaker: 'closed' });
  });

  it('tries a failed key again only after its backoff, which doubles up to the maximum', async () => {
    const { cache, clock } = setUp({ breaker: undefined });
    const db = database();
    await cache.get('k', db.render);
    cache.invalidate();
    db.stop();
    const attempts = () => db.render.mock.calls.length - 1;
    await cache.get('k', db.render);
    expect(attempts()).toBe(1);
    // Within the backoff every reader gets the old render without a render attempt.
    for (let i = 0; i < 10; i += 1) expect(await text(cache.get('k', db.render))).toBe('page1');
    expect(attempts()).toBe(1);
    for (const wait of [100, 200, 400, 400]) {
      clock.ms += wait - 1;
      await cache.get('k', db.render);
      const before = attempts();
      clock.ms += 1;
      await cache.get('k', db.render);
      expect(attempts()).toBe(before + 1);
    }
    // Another key is not held back by this one's failures.
    await cache.get('other', db.render).catch(() => {});
    expect(attempts()).toBe(6);
  });

  it('opens the breaker after consecutive failures: no render attempted, the last good render at once', async () => {
    const { cache } = setUp();
    const db = database();
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, db.render);
    cache.invalidate();
    db.stop();
    for (const key of ['a', 'b', 'c']) expect(await text(cache.get(key, db.render))).toMatch(/^page/);
    expect(cache.stats().breaker).toBe('open');
    const calls = db.render.mock.calls.length;
    expect(await text(cache.get('d', db.render))).toBe('page4');
    // A key with nothing to serve fails at once rather than waiting for the database.
    await expect(cache.get('never-rendered', db.render)).rejects.toThrow('unavailable');
    expect(db.render.mock.calls.length).toBe(calls);
  });

  it('sends one probe after the delay (readers keep the old render meanwhile), then closes when it succeeds', async () => {
    const { cache, clock } = setUp();
    const db = database();
    for (const key of ['a', 'b', 'c']) await cache.get(key, db.render);
    cache.invalidate();
    db.stop();
    for (const key of ['a', 'b', 'c']) await cache.get(key, db.render);
    await vi.waitFor(() => expect(cache.stats().breaker).toBe('open'));

    clock.ms += 1000;
    const probe = deferred();
    const probing = vi.fn(() => probe.promise);
    // The reader that triggers the probe does not wait for it; nor do the readers during it.
    expect(await text(cache.get('a', probing))).toBe('page1');
    expect(cache.stats().breaker).toBe('half-open');
    expect(await text(cache.get('b', probing))).toBe('page2');
    expect(await text(cache.get('a', probing))).toBe('page1');
    expect(probing).toHaveBeenCalledTimes(1);

    // A failed probe opens the breaker again, for another delay.
    probe.reject(refused());
    await vi.waitFor(() => expect(cache.stats().breaker).toBe('open'));
    clock.ms += 999;
    await cache.get('b', db.render);
    expect(cache.stats().breaker).toBe('open');

    clock.ms += 1;
    db.start();
    const calls = db.render.mock.calls.length;
    await cache.get('b', db.render);
    await vi.waitFor(() => expect(cache.stats().breaker).toBe('closed'));
    expect(db.render.mock.calls.length).toBe(calls + 1);
    // Closed: every key renders again at once, backoffs forgotten.
    expect(await text(cache.get('c', db.render))).toBe(`page${calls + 2}`);
  });

  it('recovered() closes the breaker at once (a listening connection came back)', async () => {
    const { cache } = setUp();
    const db = database();
    for (const key of ['a', 'b', 'c']) await cache.get(key, db.render);
    cache.invalidate();
    db.stop();
    for (const key of ['a', 'b', 'c']) await cache.get(key, db.render);
    await vi.waitFor(() => expect(cache.stats().breaker).toBe('open'));
    db.start();
    cache.recovered();
    expect(cache.stats().breaker).toBe('closed');
    expect(await text(cache.get('a', db.render))).toBe('page7');
  });

  it('once a render has failed, readers with an older render stop waiting for the database', async () => {
    const { cache } = setUp();
    const db = database();
    for (const key of ['slow', 'fast', 'third']) await cache.get(key, db.render);
    cache.invalidate();
    // The driver holds this render's query until its next connection attempt.
    const held = deferred();
    const waiting = cache.get('slow', () => held.promise);
    let answered = false;
    void waiting.then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    db.stop();
    expect(await text(cache.get('fast', db.render))).toBe('page2');
    // The failure elsewhere releases the reader still waiting...
    expect(await text(waiting)).toBe('page1');
    // ...and the next reader is not made to wait: its render goes on in the background.
    const later = deferred();
    expect(await text(cache.get('third', () => later.promise))).toBe('page3');
    held.reject(refused());
    later.reject(refused());
  });

  it('lets other render errors through, even with an old render to serve, and they do not open the breaker', async () => {
    const { cache } = setUp();
    await cache.get('k', async () => ({ contentType: HTML, body: 'good' }));
    cache.invalidate();
    const bug = new TypeError('cannot read properties of undefined');
    for (let i = 0; i < 5; i += 1) await expect(cache.get('k', () => Promise.reject(bug))).rejects.toBe(bug);
    expect(cache.stats().breaker).toBe('closed');
  });

  it('serves the stale variant (its own render) when it falls back, the current one otherwise', async () => {
    const { cache } = setUp({ staleVariant: (r) => withNotice(r, '<p role="status">old</p>') });
    const db = database();
    const page = async (): Promise<RenderResult> => {
      const r = await db.render();
      return { ...r, body: `<main>${STALE_NOTICE_MARKER}${String(r.body)}</main>` };
    };
    const fresh = await cache.get('k', page);
    expect(fresh.raw.toString()).toBe('<main>page1</main>');
    cache.invalidate();
    db.stop();
    const stale = await cache.get('k', page);
    expect(stale.raw.toString()).toBe('<main><p role="status">old</p>page1</main>');
    expect(stale.etag).not.toBe(fresh.etag);
    // The same object every time: its headers are worked out once.
    expect(await cache.get('k', page)).toBe(stale);
  });
});

describe('RenderCache under a burst of writes', () => {
  it('renders a key once more after a burst, however many writes it had', async () => {
    const { cache } = setUp();
    const first = deferred();
    const renders: Array<ReturnType<typeof deferred>> = [];
    const render = vi.fn(() => {
      const next = renders.length === 0 ? first : deferred();
      renders.push(next);
      return next.promise;
    });
    const reads = [cache.get('page:/', render)];
    for (let i = 0; i < 10; i += 1) {
      cache.invalidate();
      reads.push(cache.get('page:/', render));
    }
    // The render under way, the one begun on the first write, and one follow-up for the rest.
    expect(render).toHaveBeenCalledTimes(2);
    first.resolve({ contentType: HTML, body: 'v0' });
    renders[1]!.resolve({ contentType: HTML, body: 'v1' });
    await vi.waitFor(() => expect(render).toHaveBeenCalledTimes(3));
    renders[2]!.resolve({ contentType: HTML, body: 'v-latest' });
    const bodies = await Promise.all(reads.map(text));
    expect(bodies.slice(2)).toEqual(Array(9).fill('v-latest'));
    // The follow-up read the data after the last write: it is current, served without a render.
    expect(await text(cache.get('page:/', render))).toBe('v-latest');
    expect(render).toHaveBeenCalledTimes(3);
  });
});

describe('RenderCache bounds', () => {
  const body = (n: number) => 'x'.repeat(n);

  it('holds at most maxBytes of unpinned renders, counting raw, gzip and br, in the forms they are kept in', async () => {
    const sizeOf = (r: Rendered) => r.raw.length + (r.gzip?.length ?? 0) + r.br.length;
    const quick = sizeOf(await encode({ contentType: HTML, body: body(1000) }, 0, 0));
    const best = sizeOf(compress({ contentType: HTML, body: body(1000) }, 0, 0));
    // Room for two renders in their best forms and a new one in its quick forms.
    const { cache } = setUp({ maxBytes: 2 * best + quick });
    for (let i = 0; i < 10; i += 1) {
      await cache.get(`k${i}`, async () => ({ contentType: HTML, body: body(1000) }));
      expect(cache.stats().bytes).toBeLessThanOrEqual(2 * best + quick);
      await cache.settled();
    }
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: 3 * best });
  });

  it('a flood of distinct keys never evicts a pinned one', async () => {
    const { cache } = setUp({ maxBytes: 2000, pinned: (key) => key === 'page:/' });
    const home = vi.fn(async (): Promise<RenderResult> => ({ contentType: HTML, body: body(1500) }));
    await cache.get('page:/', home);
    for (let i = 0; i < 200; i += 1) await cache.get(`page:/history?page=${i}`, async () => ({ contentType: HTML, body: `${i}${body(500)}` }));
    await cache.get('page:/', home);
    expect(home).toHaveBeenCalledTimes(1);
  });

  it('runs a bounded number of unpinned renders; past the queue, busy (pinned keys still render)', async () => {
    const busy = () => new Error('busy');
    const { cache } = setUp({ renderSlots: { concurrent: 2, queued: 1, busyError: busy }, pinned: (key) => key === 'page:/' });
    const held = Array.from({ length: 3 }, () => deferred());
    const started = vi.fn();
    const reads = held.map((d, i) =>
      cache.get(`page:/incidents/${i}`, () => {
        started(i);
        return d.promise;
      }),
    );
    // Two run, one waits for a turn.
    expect(started).toHaveBeenCalledTimes(2);
    await expect(cache.get('page:/incidents/9', async () => ({ contentType: HTML, body: 'x' }))).rejects.toThrow('busy');
    expect(cache.stats().busy).toBe(1);
    expect(await text(cache.get('page:/', async () => ({ contentType: HTML, body: 'home' })))).toBe('home');
    held[0]!.resolve({ contentType: HTML, body: 'zero' });
    await vi.waitFor(() => expect(started).toHaveBeenCalledTimes(3));
    held[1]!.resolve({ contentType: HTML, body: 'one' });
    held[2]!.resolve({ contentType: HTML, body: 'two' });
    expect(await Promise.all(reads.map(text))).toEqual(['zero', 'one', 'two']);
  });

  it('counts hits, misses and stale serves', async () => {
    const { cache } = setUp();
    const db = database();
    await cache.get('k', db.render);
    await cache.get('k', db.render);
    await cache.get('k', db.render);
    cache.invalidate();
    db.stop();
    await cache.get('k', db.render);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 2, staleServes: 1, entries: 1 });
  });
});

describe('the stale notice', () => {
  it('takes the marker out of an HTML render and puts the notice in its place in the variant', () => {
    const page = compress({ contentType: HTML, body: `<main>\n${STALE_NOTICE_MARKER}\n<h1>Up</h1></main>` }, 0, 0);
    expect(page.raw.toString()).toBe('<main>\n<h1>Up</h1></main>');
    const variant = withNotice(page, '<p>old</p>\n');
    expect(variant.raw.toString()).toBe('<main>\n<p>old</p>\n<h1>Up</h1></main>');
    expect(variant.etag).not.toBe(page.etag);
    expect(variant.renderedAt).toBe(page.renderedAt);
    // Made while a reader waits: in the quick forms, never brotli 11 on the loop.
    expect(variant.quick).toBe(true);
    expect(brotliDecompressSync(variant.br).equals(variant.raw) && gunzipSync(variant.gzip!).equals(variant.raw)).toBe(true);
  });

  it('leaves renders without a marker (JSON, feeds) as they are', () => {
    const json = compress({ contentType: 'application/json', body: '{"a":1}' }, 0, 0);
    expect(withNotice(json, '<p>old</p>')).toBe(json);
  });
});
