import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { BROTLI_MAX_QUALITY_BYTES, brotliQualityFor, compress, gzipLevelFor, MAX_IMPROVING_UNPINNED, RenderCache, type Rendered, type RenderResult } from '../../../src/surfaces/render-cache/render-cache.js';
import { withBestForms } from '../../../src/surfaces/render-cache/rendered.js';

const HTML = 'text/html; charset=utf-8';

/** A render the test finishes by hand, to hold it "in flight". */
function deferred() {
  let resolve!: (value: RenderResult) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<RenderResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A render function that counts its calls and says which call produced a body. */
function counter(prefix = 'v') {
  const render = vi.fn(async (): Promise<RenderResult> => ({ contentType: HTML, body: `${prefix}${render.mock.calls.length}` }));
  return render;
}

function cache(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
  return new RenderCache({ ttlMs: options.ttlMs ?? 60_000, maxEntries: options.maxEntries ?? 100, now: options.now });
}

describe('RenderCache', () => {
  it('shares one render among concurrent gets of the same key', async () => {
    const c = cache();
    const pending = deferred();
    const render = vi.fn(() => pending.promise);
    const gets = Array.from({ length: 10 }, () => c.get('page:/', render));
    expect(render).toHaveBeenCalledTimes(1);
    pending.resolve({ contentType: HTML, body: 'once' });
    const results = await Promise.all(gets);
    expect(new Set(results).size).toBe(1);
    expect(results[0]!.raw.toString()).toBe('once');
  });

  it('renders different keys separately', async () => {
    const c = cache();
    const a = await c.get('a', async () => ({ contentType: HTML, body: 'A' }));
    const b = await c.get('b', async () => ({ contentType: HTML, body: 'B' }));
    expect(a.raw.toString()).toBe('A');
    expect(b.raw.toString()).toBe('B');
  });

  it('serves a fresh entry without rendering again', async () => {
    const c = cache();
    const render = counter();
    const first = await c.get('k', render);
    for (let i = 0; i < 20; i += 1) expect(await c.get('k', render)).toBe(first);
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('renders again after invalidate()', async () => {
    const c = cache();
    const render = counter();
    expect((await c.get('k', render)).raw.toString()).toBe('v1');
    c.invalidate();
    expect((await c.get('k', render)).raw.toString()).toBe('v2');
    expect((await c.get('k', render)).raw.toString()).toBe('v2');
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('invalidate() makes every key render again, not just one', async () => {
    const c = cache();
    const a = counter('a');
    const b = counter('b');
    await c.get('a', a);
    await c.get('b', b);
    c.invalidate();
    await c.get('a', a);
    await c.get('b', b);
    expect(a).toHaveBeenCalledTimes(2);
    expect(b).toHaveBeenCalledTimes(2);
  });

  it('renders again once the TTL has passed, and not before', async () => {
    let now = 1_000_000;
    const c = cache({ ttlMs: 60_000, now: () => now });
    const render = counter();
    const first = await c.get('k', render);
    expect(first.renderedAt).toBe(1_000_000);
    now += 59_999;
    expect(await c.get('k', render)).toBe(first);
    now += 1;
    const second = await c.get('k', render);
    expect(second.raw.toString()).toBe('v2');
    expect(second.renderedAt).toBe(1_060_000);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('serves the last good render when a render fails, however old', async () => {
    let now = 0;
    const c = cache({ ttlMs: 1_000, now: () => now });
    const good = await c.get('k', async () => ({ contentType: HTML, body: 'good' }));
    now += 3_600_000;
    c.invalidate();
    const failing = vi.fn(async (): Promise<RenderResult> => {
      throw new Error('database is down');
    });
    expect(await c.get('k', failing)).toBe(good);
    // Still stale: the next request tries the database again rather than trusting the old page.
    expect(await c.get('k', failing)).toBe(good);
    expect(failing).toHaveBeenCalledTimes(2);
    // And once the database is back, the page is fresh again.
    expect((await c.get('k', async () => ({ contentType: HTML, body: 'back' }))).raw.toString()).toBe('back');
  });

  it('rejects when a render fails and there is nothing to fall back on', async () => {
    const c = cache();
    const error = new Error('database is down');
    await expect(c.get('k', () => Promise.reject(error))).rejects.toBe(error);
    // A failure is not cached: the next request renders.
    expect((await c.get('k', async () => ({ contentType: HTML, body: 'ok' }))).raw.toString()).toBe('ok');
  });

  it('shares a failure among concurrent gets, each falling back alike', async () => {
    const c = cache();
    const pending = deferred();
    const render = vi.fn(() => pending.promise);
    const gets = [c.get('k', render), c.get('k', render)];
    pending.reject(new Error('down'));
    for (const result of await Promise.allSettled(gets)) expect(result.status).toBe('rejected');
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('does not store a render that a write overtook', async () => {
    const c = cache();
    const pending = deferred();
    const before = c.get('k', () => pending.promise);
    c.invalidate(); // a write lands while the page is being rendered from older data
    pending.resolve({ contentType: HTML, body: 'stale' });
    // The request that started it still gets an answer...
    expect((await before).raw.toString()).toBe('stale');
    // ...but the next one renders the new data instead of being served the stale page.
    const render = counter('new');
    expect((await c.get('k', render)).raw.toString()).toBe('new1');
    expect(render).toHaveBeenCalledTimes(1);
  });

  // Regression: a request arriving after a write used to join the render started before it,
  // so "the next request after a write shows it" failed whenever a render was in flight.
  it('does not hand a request that came after a write the render that began before it', async () => {
    const c = cache();
    const old = deferred();
    const before = c.get('k', () => old.promise);
    c.invalidate();
    const fresh = deferred();
    const render = vi.fn(() => fresh.promise);
    const after = c.get('k', render);
    expect(render).toHaveBeenCalledTimes(1);
    old.resolve({ contentType: HTML, body: 'stale' });
    expect((await before).raw.toString()).toBe('stale');
    // The older render finishing must not forget the newer one still in flight: a third
    // request shares it instead of starting yet another.
    const third = c.get('k', render);
    expect(render).toHaveBeenCalledTimes(1);
    fresh.resolve({ contentType: HTML, body: 'new' });
    expect((await after).raw.toString()).toBe('new');
    expect(await third).toBe(await after);
  });

  it('keeps the newer render when an older one finishes last', async () => {
    const c = cache();
    const old = deferred();
    const fresh = deferred();
    const before = c.get('k', () => old.promise);
    c.invalidate();
    const after = c.get('k', () => fresh.promise);
    fresh.resolve({ contentType: HTML, body: 'fresh' });
    old.resolve({ contentType: HTML, body: 'stale' });
    await Promise.all([before, after]);
    const render = counter();
    expect((await c.get('k', render)).raw.toString()).toBe('fresh');
    expect(render).not.toHaveBeenCalled();
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const c = cache({ maxEntries: 3 });
    const renders = new Map<string, ReturnType<typeof counter>>();
    const get = (key: string) => {
      if (!renders.has(key)) renders.set(key, counter(key));
      return c.get(key, renders.get(key)!);
    };
    await get('a');
    await get('b');
    await get('c');
    await get('a'); // a is read again: b is now the least recently used
    await get('d'); // evicts b
    const calls = () => Object.fromEntries([...renders].map(([k, r]) => [k, r.mock.calls.length]));
    expect(calls()).toEqual({ a: 1, b: 1, c: 1, d: 1 });
    await get('a');
    await get('c');
    await get('d');
    expect(calls()).toEqual({ a: 1, b: 1, c: 1, d: 1 });
    await get('b'); // was evicted: renders again, and evicts a (least recently used now)
    expect(calls()).toEqual({ a: 1, b: 2, c: 1, d: 1 });
    await get('a');
    expect(calls()).toEqual({ a: 2, b: 2, c: 1, d: 1 });
  });
});

describe('RenderCache: renders made before they are asked for', () => {
  it('renders again, at once, the pinned keys readers had rendered lately, sharing the render with the next reader', async () => {
    const c = new RenderCache({ ttlMs: 60_000, maxEntries: 100, pinned: (key) => key.startsWith('page:'), elapsed: () => 0 });
    const [page, feed, other] = [counter('page'), counter('feed'), counter('other')];
    await c.get('page:/', page);
    await c.get('page:/feed', feed);
    await c.get('incident:1', other);
    const before = c.stats();

    c.invalidate();
    c.refreshRecent();
    // Pinned keys only: the others are rendered when next asked for.
    expect(page).toHaveBeenCalledTimes(2);
    expect(feed).toHaveBeenCalledTimes(2);
    expect(other).toHaveBeenCalledTimes(1);
    // The next reader gets that render: no render of its own, and it counts as a hit once made.
    expect((await c.get('page:/', page)).raw.toString()).toBe('page2');
    expect(page).toHaveBeenCalledTimes(2);
    expect(c.stats().misses).toBe(before.misses + 1);

    // Current keys are not rendered again.
    c.refreshRecent();
    expect(page).toHaveBeenCalledTimes(2);
  });

  it('leaves to their next reader the keys nobody had rendered for two TTLs, however often it refreshes', async () => {
    let elapsed = 0;
    const c = new RenderCache({ ttlMs: 60_000, maxEntries: 100, pinned: () => true, elapsed: () => elapsed });
    const [read, unread] = [counter('read'), counter('unread')];
    await c.get('page:/unread', unread);
    elapsed = 90_000;
    await c.get('page:/read', read);
    elapsed = 125_000;
    for (let i = 0; i < 3; i += 1) {
      c.invalidate();
      c.refreshRecent();
      // Read once made: a hit.
      await vi.waitFor(() => expect(c.fresh('page:/read')?.raw.toString()).toBe(`read${i + 2}`));
    }
    expect(read).toHaveBeenCalledTimes(4);
    expect(unread).toHaveBeenCalledTimes(1);
    // Refreshes and hits do not make it recent: only a reader's render does (at least one a TTL).
    elapsed = 90_000 + 120_001;
    c.invalidate();
    c.refreshRecent();
    expect(read).toHaveBeenCalledTimes(4);
  });
});

describe('RenderCache: a render’s quick forms, then its best', () => {
  const page = (n: number) => `<p>${'Operational · 99.95 % uptime. '.repeat(n)}</p>`;

  it('sends a new render in its quick brotli form at once, and in its best forms once they are made, counting the bytes it keeps', async () => {
    const c = cache();
    const first = await c.get('page:/', async () => ({ contentType: HTML, body: page(2_000) }));
    expect(first.quick).toBe(true);
    expect(first.gzip).toBeNull();
    expect(c.stats().bytes).toBe(first.raw.length + first.br.length);
    await c.settled();
    const best = c.fresh('page:/')!;
    expect(best).not.toBe(first);
    const made = compress({ contentType: HTML, body: page(2_000) }, 0, 0);
    expect({ quick: best.quick, etag: best.etag, generation: best.generation, renderedAt: best.renderedAt }).toEqual({
      quick: false,
      etag: first.etag,
      generation: first.generation,
      renderedAt: first.renderedAt,
    });
    expect(best.br.equals(made.br) && best.gzip!.equals(made.gzip!)).toBe(true);
    expect(best.br.length).toBeLessThan(first.br.length);
    expect(c.stats().bytes).toBe(best.raw.length + best.gzip!.length + best.br.length);
    expect(brotliDecompressSync(best.br).equals(first.raw)).toBe(true);
  });

  it('makes the best forms of a few unpinned renders at a time, and always those of the pinned ones', async () => {
    const held = deferred();
    const bestForms = vi.fn(async (quick: Rendered) => {
      await held.promise;
      return withBestForms(quick);
    });
    const c = new RenderCache({ ttlMs: 60_000, maxEntries: 100, bestForms, pinned: (key) => key === 'page:/' });
    // A flood of distinct keys while the first compressions are still running.
    for (let i = 0; i < 20; i += 1) await c.get(`page:/history?page=${i + 1}`, async () => ({ contentType: HTML, body: page(10 + i) }));
    await c.get('page:/', async () => ({ contentType: HTML, body: page(50) }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(bestForms).toHaveBeenCalledTimes(MAX_IMPROVING_UNPINNED + 1);
    held.resolve({ contentType: HTML, body: '' });
    await c.settled();
    expect(c.fresh('page:/')!.quick).toBe(false);
    // The others are sent in their quick forms until they are rendered again, gzip included.
    const other = c.fresh('page:/history?page=20')!;
    expect(other.quick).toBe(true);
    expect(gunzipSync(other.gzip!).equals(other.raw)).toBe(true);
  });

  it('keeps a render’s quick forms, with a gzip form, when its best forms cannot be made', async () => {
    const c = new RenderCache({ ttlMs: 60_000, maxEntries: 100, bestForms: async () => Promise.reject(new Error('no thread pool today')) });
    const first = await c.get('page:/', async () => ({ contentType: HTML, body: page(100) }));
    await c.settled();
    const kept = c.fresh('page:/')!;
    expect(kept.quick).toBe(true);
    expect(kept.br).toBe(first.br);
    expect(gunzipSync(kept.gzip!).equals(first.raw)).toBe(true);
    expect(c.stats().bytes).toBe(kept.raw.length + kept.gzip!.length + kept.br.length);
  });

  it('never puts a render’s best forms in the place of a newer render', async () => {
    // The first render's best forms are held back until the second render is kept.
    const held = deferred();
    const bestForms = vi.fn(async (quick: Rendered) => {
      if (bestForms.mock.calls.length === 1) await held.promise;
      return withBestForms(quick);
    });
    const c = new RenderCache({ ttlMs: 60_000, maxEntries: 100, bestForms });
    const render = vi.fn(async (): Promise<RenderResult> => ({ contentType: HTML, body: page(100 * render.mock.calls.length) }));
    await c.get('k', render);
    c.invalidate();
    const second = await c.get('k', render);
    held.resolve({ contentType: HTML, body: '' });
    await c.settled();
    const kept = c.fresh('k')!;
    expect(bestForms).toHaveBeenCalledTimes(2);
    expect(kept.raw.equals(second.raw)).toBe(true);
    expect(kept.quick).toBe(false);
    expect(kept.generation).toBe(1);
    expect(c.stats().bytes).toBe(kept.raw.length + kept.gzip!.length + kept.br.length);
  });
});

describe('compress', () => {
  const body = '<!doctype html><title>Status</title>' + '<p>All Systems Operational — ✓</p>'.repeat(200);

  it('makes gzip and br forms that decompress to the raw bytes', () => {
    const r = compress({ contentType: HTML, body }, 0, 0);
    expect(r.raw.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(gunzipSync(r.gzip!).equals(r.raw)).toBe(true);
    expect(brotliDecompressSync(r.br).equals(r.raw)).toBe(true);
    expect(r.gzip!.length).toBeLessThan(r.raw.length);
    expect(r.br.length).toBeLessThan(r.raw.length);
  });

  // Regression: quality 11 on a ~1 MB status page (hundreds of components with uptime bars)
  // blocked the event loop for over 100 ms at every write, and quality 9 on a 89 KB one for
  // 70 ms, for output within 2 % of quality 5's.
  it('keeps brotli’s top quality for small bodies only; a large page still round-trips', () => {
    expect(brotliQualityFor(1_000)).toBe(11);
    expect(brotliQualityFor(BROTLI_MAX_QUALITY_BYTES)).toBe(11);
    expect(brotliQualityFor(BROTLI_MAX_QUALITY_BYTES + 1)).toBe(5);
    const bars = '<li class="u-operational"><span>Nov 12: no downtime</span></li>'.repeat(18_000);
    const large = compress({ contentType: HTML, body: bars }, 0, 0);
    expect(large.raw.length).toBeGreaterThan(BROTLI_MAX_QUALITY_BYTES);
    expect(brotliDecompressSync(large.br).equals(large.raw)).toBe(true);
    expect(large.br.length).toBeLessThan(large.raw.length / 100);
  });

  it('gzips small bodies at level 9 and large ones at zlib’s default, 6; both round-trip', () => {
    expect(gzipLevelFor(BROTLI_MAX_QUALITY_BYTES)).toBe(9);
    expect(gzipLevelFor(BROTLI_MAX_QUALITY_BYTES + 1)).toBe(6);
    const body = '<li class="u-operational"><span>Nov 12: no downtime</span></li>'.repeat(2_000);
    const large = compress({ contentType: HTML, body }, 0, 0);
    expect(gunzipSync(large.gzip!).equals(large.raw)).toBe(true);
  });

  it('takes a Buffer body as it is', () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const r = compress({ contentType: 'application/octet-stream', body: bytes }, 0, 0);
    expect(r.raw.equals(bytes)).toBe(true);
    expect(gunzipSync(r.gzip!).equals(bytes)).toBe(true);
    expect(brotliDecompressSync(r.br).equals(bytes)).toBe(true);
  });

  it('gives a strong ETag that follows the bytes', () => {
    const a = compress({ contentType: HTML, body: 'a' }, 0, 0);
    const a2 = compress({ contentType: HTML, body: 'a' }, 5, 1_000);
    const b = compress({ contentType: HTML, body: 'b' }, 0, 0);
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(a2.etag).toBe(a.etag);
    expect(b.etag).not.toBe(a.etag);
  });

  it('defaults to status 200 and Last-Modified = render time', () => {
    const r = compress({ contentType: HTML, body: 'x' }, 3, 1_700_000_000_000);
    expect(r.status).toBe(200);
    expect(r.lastModified).toEqual(new Date(1_700_000_000_000));
    expect(r.generation).toBe(3);
    const when = new Date('2026-01-02T03:04:05Z');
    expect(compress({ contentType: HTML, body: 'x', status: 404, lastModified: when }, 0, 0)).toMatchObject({ status: 404, lastModified: when });
  });
});

describe('RenderCache when the database stops answering', () => {
  it('serves the last good render once a new one is late, and later readers at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const c = new RenderCache({ ttlMs: 60_000, maxEntries: 10, staleAfterMs: 2000, maxWaitMs: 10_000 });
      await c.get('page:/', async () => ({ contentType: HTML, body: 'good' }));
      c.invalidate();
      const hanging = deferred();
      const first = c.get('page:/', () => hanging.promise);
      await vi.advanceTimersByTimeAsync(1999);
      let settled = false;
      void first.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await first).raw.toString()).toBe('good');

      // The render is already late: the next reader is not made to wait again.
      const second = c.get('page:/', () => hanging.promise);
      await vi.advanceTimersByTimeAsync(0);
      expect((await second).raw.toString()).toBe('good');

      // When it finally answers, readers after that get the new page.
      hanging.resolve({ contentType: HTML, body: 'new' });
      await vi.advanceTimersByTimeAsync(0);
      expect((await c.get('page:/', async () => ({ contentType: HTML, body: 'unused' }))).raw.toString()).toBe('new');
    } finally {
      vi.useRealTimers();
    }
  });

  it('with nothing to serve instead, gives up after maxWaitMs with the given error', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const c = new RenderCache({ ttlMs: 60_000, maxEntries: 10, staleAfterMs: 2000, maxWaitMs: 10_000, timeoutError: () => new Error('unavailable') });
      const result = c.get('page:/history?page=9', () => deferred().promise);
      const assertion = expect(result).rejects.toThrow('unavailable');
      await vi.advanceTimersByTimeAsync(10_000);
      await assertion;
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('RenderCache eviction', () => {
  // Regression: 1000 made-up incident URLs used to push the status page out of the cache.
  it('never evicts pinned keys and never stores a failed (non-200) render', async () => {
    const c = new RenderCache({ ttlMs: 60_000, maxEntries: 2, pinned: (key) => key === 'page:/' });
    const home = counter('home');
    await c.get('page:/', home);
    for (let i = 0; i < 5; i += 1) await c.get(`page:/incidents/${i}`, counter());
    await c.get('page:/', home);
    expect(home).toHaveBeenCalledTimes(1);

    const missing = vi.fn(async (): Promise<RenderResult> => ({ status: 404, contentType: HTML, body: 'no such page' }));
    await c.get('page:/incidents/unknown', missing);
    await c.get('page:/incidents/unknown', missing);
    expect(missing).toHaveBeenCalledTimes(2);
  });
});

describe('RenderCache: a render’s age', () => {
  it('runs from when it began reading, and a reader does not wait for a render begun longer ago than the TTL', async () => {
    let now = 0;
    const c = cache({ ttlMs: 1000, now: () => now });
    const slow = deferred();
    const render = vi.fn((): Promise<RenderResult> => (render.mock.calls.length === 1 ? slow.promise : Promise.resolve({ contentType: HTML, body: 'later' })));
    const first = c.get('page:/', render);
    now = 1500; // the render took longer than the TTL
    const second = c.get('page:/', render);
    expect(render).toHaveBeenCalledTimes(2);
    slow.resolve({ contentType: HTML, body: 'begun at 0' });
    expect((await first).raw.toString()).toBe('begun at 0');
    expect((await second).raw.toString()).toBe('later');
    expect(c.fresh('page:/')?.raw.toString()).toBe('later');
    now = 2499;
    expect(c.fresh('page:/')).toBeDefined();
    now = 2500;
    expect(c.fresh('page:/')).toBeUndefined();
  });
});
