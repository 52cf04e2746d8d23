import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RenderCacheStats } from '../../core/render-cache-stats.js';
import { Breaker, Slots } from './guards.js';
import { encode, withBestForms, withQuickGzip, type Rendered, type RenderResult } from './rendered.js';

// What a render is and how it is compressed live beside, in rendered.ts.
export { BROTLI_MAX_QUALITY_BYTES, brotliQualityFor, compress, encode, gzipLevelFor, STALE_NOTICE_MARKER, withNotice } from './rendered.js';
export type { Rendered, RenderResult } from './rendered.js';

export interface RenderCacheOptions {
  /** A render is rebuilt at least this often even without writes (relative times move on). */
  ttlMs: number;
  /** How many entries to keep, besides the pinned ones. */
  maxEntries: number;
  /**
   * Bytes kept (raw, gzip and br of every entry, pinned ones included); beyond it the least
   * recently used unpinned entries go. Unset: entries alone bound the cache.
   */
  maxBytes?: number;
  /** Keys never evicted: the pages that must survive an outage (the status page, the feed). */
  pinned?: (key: string) => boolean;
  /** How long a reader waits for a new render when an older one can be served instead. */
  staleAfterMs?: number;
  /** How long a reader waits for a render when there is nothing to serve instead. */
  maxWaitMs?: number;
  /** The error a reader gets when `maxWaitMs` runs out, or when the database is known to be down. */
  timeoutError?: () => Error;
  now?: () => number;
  /**
   * Which render failures mean "the database is unavailable": only those fall back to the last
   * good render, count towards the breaker and back off. Unset: every failure.
   */
  isUnavailable?: (error: unknown) => boolean;
  /** After an unavailable failure, a key is not tried again before this (doubling per failure). */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * After `failures` consecutive unavailable failures (any keys), no render is tried at all; one
   * probe goes after `probeAfterMs`, and its outcome closes the breaker or opens it again.
   */
  breaker?: { failures: number; probeAfterMs: number };
  /**
   * Renders of unpinned keys: `concurrent` at once, `queued` more waiting; beyond that a reader
   * with nothing to serve gets `busyError()`. Pinned keys always render.
   */
  renderSlots?: { concurrent: number; queued: number; busyError: () => Error };
  /** The form of a render served when it may be older than the data (a page with a notice). */
  staleVariant?: (rendered: Rendered) => Rendered;
  /** Monotonic milliseconds for deadlines, backoff and the breaker; default `performance.now()`. */
  elapsed?: () => number;
  /** Makes a render's best compressed forms from its quick ones; default `withBestForms` (on the thread pool). */
  bestForms?: (quick: Rendered) => Promise<Rendered>;
}

export type { BreakerState, RenderCacheStats } from '../../core/render-cache-stats.js';

interface Entry {
  rendered: Rendered;
  /** `staleVariant(rendered)`, made the first time it is needed. */
  stale?: Rendered;
  bytes: number;
}

/** A render in flight; `generation` is null while it waits for the one before it to finish. */
interface Flight {
  generation: number | null;
  job: Promise<Rendered>;
  startedAt: number;
  /** When (by the clock) its render began reading the data; null until it begins. */
  readAt: number | null;
}

/** Best forms made at once for unpinned keys: libuv's thread pool has four threads by default. */
export const MAX_IMPROVING_UNPINNED = 4;

const isNewer = (a: Rendered, b: Rendered) => a.generation > b.generation || (a.generation === b.generation && a.renderedAt > b.renderedAt);

const sizeOf = (r: Rendered) => r.raw.length + (r.gzip?.length ?? 0) + r.br.length;

/**
 * Public pages are rendered once per change and served from memory to every reader. A write
 * calls `invalidate()`, which marks every entry stale without dropping it; the next request
 * renders afresh (waiting up to `staleAfterMs`, so a writer reads its write), and concurrent
 * requests for the same key share that one render.
 *
 * When the database is unavailable the last good render of a key is served at once, however
 * old: a failed key backs off before its next attempt, and after a few failures in a row a
 * breaker stops all attempts but one probe now and then, so that during an outage a request
 * costs what a cached answer costs. Only successful renders (and pinned keys) are kept: a 404
 * for a made-up URL must not take the place of a real page.
 */
export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pinnedEntries = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight[]>();
  private readonly backoffs = new Map<string, { failures: number; retryAt: number }>();
  private generation = 0;
  private bytes = 0;
  private readonly counts = { hits: 0, misses: 0, staleServes: 0, busy: 0, renders: 0 };
  private readonly breaker: Breaker | undefined;
  private readonly slots: Slots | undefined;
  /** Best forms being made for renders sent in their quick ones (see improve). */
  private readonly improving = new Set<Promise<void>>();
  /**
   * How each pinned key was last rendered for a reader, and when (elapsed ms): what
   * `refreshRecent` renders again. Pinned keys are few (the status page, the feeds and the
   * badge in the page's language, the Statuspage API, the shared 404s), so this stays small.
   */
  private readonly renderers = new Map<string, { render: () => Promise<RenderResult>; askedAt: number }>();
  /** Readers waiting for a render with an older one to serve instead, released by a failure. */
  private readonly waiting = new Set<() => void>();
  private readonly now: () => number;
  private readonly elapsed: () => number;

  constructor(private readonly options: RenderCacheOptions) {
    this.now = options.now ?? Date.now;
    this.elapsed = options.elapsed ?? (() => performance.now());
    this.breaker = options.breaker && new Breaker(options.breaker, this.elapsed);
    this.slots = options.renderSlots && new Slots(options.renderSlots);
  }

  /** The data changed: every entry is stale from now on, and still there to fall back on. */
  invalidate(): void {
    this.generation += 1;
  }

  /** How many times the data changed so far: renders of one generation read the same writes. */
  currentGeneration(): number {
    return this.generation;
  }

  /** The database is known to be back (a reconnection): try renders again at once. */
  recovered(): void {
    this.closeBreaker();
  }

  stats(): RenderCacheStats {
    return { bytes: this.bytes, entries: this.entries.size + this.pinnedEntries.size, ...this.counts, breaker: this.breaker?.state ?? 'closed' };
  }

  /**
   * The current render of `key` when there is one, synchronously: what nearly every request
   * under a spike gets, so it costs no promise and no tick. Otherwise `get` decides.
   */
  fresh(key: string): Rendered | undefined {
    const entry = this.entries.get(key) ?? this.pinnedEntries.get(key);
    if (!entry || !this.isFresh(entry.rendered)) return undefined;
    this.counts.hits += 1;
    this.touch(key, entry);
    return entry.rendered;
  }

  async get(key: string, render: () => Promise<RenderResult>): Promise<Rendered> {
    const hit = this.fresh(key);
    if (hit) return hit;
    this.counts.misses += 1;
    if (this.options.pinned?.(key)) this.renderers.set(key, { render, askedAt: this.elapsed() });
    return this.renderOrWait(key, render);
  }

  /**
   * Renders again, at once, every pinned key that a reader had rendered within the last two
   * TTLs (a key read at all is rendered at least once a TTL), unless it is current: after a
   * change another process announced, the pages its readers read are made before they ask,
   * instead of by the first of them. Keys nobody read lately are left to their next reader.
   */
  refreshRecent(): void {
    // While the database is failing, its readers' renders probe it, not this.
    if ((this.breaker?.state ?? 'closed') !== 'closed') return;
    const since = this.elapsed() - 2 * this.options.ttlMs;
    for (const [key, { render, askedAt }] of this.renderers) {
      const entry = this.entries.get(key) ?? this.pinnedEntries.get(key);
      if (askedAt < since) this.renderers.delete(key);
      else if (!entry || !this.isFresh(entry.rendered)) this.renderOrWait(key, render).catch(() => undefined);
    }
  }

  /** A reader's render of `key`: one in flight it may share, or a new one, as the cache's state allows. */
  private async renderOrWait(key: string, render: () => Promise<RenderResult>): Promise<Rendered> {
    const entry = this.entries.get(key) ?? this.pinnedEntries.get(key);
    const generation = this.generation;
    // Only a render of the current data may be shared: one begun before a write would show
    // a request that came after the write what it has already changed. One that has not
    // begun yet will read data at least as new.
    const flights = this.flights.get(key) ?? [];
    const shared = flights.find((f) => this.shareable(f, generation));
    if (shared) {
      if (entry && this.failing(key)) return this.serveStale(entry);
      return this.withDeadline(shared.job, entry, shared.startedAt);
    }

    if (this.backedOff(key)) return this.unavailable(entry);
    const permit = this.breaker?.permit() ?? 'go';
    if (permit === 'no') return this.unavailable(entry);
    const pinned = this.options.pinned?.(key) ?? false;
    if (!pinned && this.slots?.full()) {
      if (permit === 'probe') this.breaker?.unprobe();
      if (entry) return this.serveStale(entry);
      this.counts.busy += 1;
      throw this.options.renderSlots!.busyError();
    }

    const flight = this.start(key, render, generation, flights, pinned);
    // A probe finds out whether the database is back, and a render while renders are failing
    // whether it still fails: nobody with something to read waits for either.
    if (entry && (permit === 'probe' || this.suspect())) return this.serveStale(entry);
    return this.withDeadline(flight.job, entry, flight.startedAt);
  }

  /**
   * Starts a render of `key`, or, when two are already running (a burst of writes), queues one
   * follow-up that begins when the newer of them ends: however many writes land meanwhile, the
   * key renders once more, from the data as it is then.
   */
  private start(key: string, render: () => Promise<RenderResult>, generation: number, flights: Flight[], pinned: boolean): Flight {
    const newest = flights.at(-1);
    const flight: Flight = { generation, job: undefined as unknown as Promise<Rendered>, startedAt: this.elapsed(), readAt: null };
    if (newest && flights.length >= 2) {
      flight.generation = null;
      flight.job = newest.job.then(
        () => this.begin(key, render, flight, pinned),
        () => this.begin(key, render, flight, pinned),
      );
    } else {
      flight.job = this.begin(key, render, flight, pinned);
    }
    flights.push(flight);
    this.flights.set(key, flights);
    const done = () => {
      const list = this.flights.get(key);
      if (!list) return;
      const rest = list.filter((f) => f !== flight);
      if (rest.length > 0) this.flights.set(key, rest);
      else this.flights.delete(key);
    };
    flight.job.then(done, done);
    return flight;
  }

  /** Runs one render, for the data as it is now, and records what came of it. */
  private begin(key: string, render: () => Promise<RenderResult>, flight: Flight, pinned: boolean): Promise<Rendered> {
    const generation = (flight.generation ??= this.generation);
    const attempt = (): Promise<Rendered> => {
      this.counts.renders += 1;
      // A render is as old as the data it read: its age runs from its start, not its end.
      const readAt = (flight.readAt = this.now());
      let result: Promise<RenderResult>;
      try {
        result = render();
      } catch (error) {
        result = Promise.reject(error);
      }
      // The body is encoded and compressed in a turn of the loop of its own, not in the one
      // that ran the template: no one step holds the loop for both.
      return result.then(async (r) => {
        await nextTurn();
        return encode(r, generation, readAt);
      });
    };
    const job = pinned || !this.slots ? attempt() : this.slots.run(attempt);
    job.then(
      (rendered) => this.succeeded(key, rendered),
      (error: unknown) => this.failed(key, error),
    );
    return job;
  }

  private succeeded(key: string, rendered: Rendered) {
    this.backoffs.delete(key);
    this.closeBreaker();
    if (rendered.status !== 200 && !this.options.pinned?.(key)) return;
    // A render that a later one has overtaken is still a good render of older data: kept
    // unless something newer (of a later generation, or begun later) is there already.
    const current = this.entries.get(key) ?? this.pinnedEntries.get(key);
    if (current && isNewer(current.rendered, rendered)) return;
    // The pinned pages always get their best forms; others while the thread pool has room, so
    // that a flood of distinct keys cannot queue compressions without end (theirs stay quick,
    // with a quick gzip form made now).
    const improving = rendered.quick && (this.options.pinned?.(key) || this.improving.size < MAX_IMPROVING_UNPINNED);
    const kept = improving ? rendered : withQuickGzip(rendered);
    this.store(key, { rendered: kept, bytes: sizeOf(kept) });
    if (improving) this.improve(key, rendered);
  }

  /**
   * Replaces a render's quick compressed forms with its best ones, made off the event loop, if
   * it is still the one kept under `key` by then: the readers who waited for it got it as soon
   * as it was encoded, and those after them get the smaller bytes.
   */
  private improve(key: string, quick: Rendered) {
    const job = (async () => {
      // In a turn of its own: setting up the compressions costs the loop about a millisecond,
      // which the readers waiting for this render must not wait for.
      await nextTurn();
      this.replace(key, quick, await (this.options.bestForms ?? withBestForms)(quick));
    })().catch(() => {
      // The quick forms are still right; they stay, with a gzip form.
      this.replace(key, quick, withQuickGzip(quick));
    });
    this.improving.add(job);
    void job.finally(() => this.improving.delete(job));
  }

  /** Puts `by` in the place of `render` under `key`, if it is still the one kept there. */
  private replace(key: string, render: Rendered, by: Rendered) {
    const entry = this.entries.get(key) ?? this.pinnedEntries.get(key);
    if (entry?.rendered !== render) return;
    const bytes = entry.bytes - sizeOf(render) + sizeOf(by);
    // In place: where the entry stands in the eviction order is the reads', not this.
    entry.rendered = by;
    this.bytes += bytes - entry.bytes;
    entry.bytes = bytes;
  }

  /** Resolves once every render's best forms made so far are in place: for tests and benches that compare bytes. */
  async settled(): Promise<void> {
    while (this.improving.size > 0) await Promise.all(this.improving);
  }

  private failed(key: string, error: unknown) {
    if (!this.isUnavailable(error)) {
      // The database answered; the render itself is wrong. Nothing to wait out.
      this.closeBreaker();
      return;
    }
    if (this.breaker) {
      this.breaker.failed();
      // Readers still waiting for other renders (the driver may hold their queries until its
      // next connection attempt) get their older render now.
      for (const release of this.waiting) release();
      this.waiting.clear();
    }
    const backoff = this.options.backoff;
    if (backoff) {
      const failures = (this.backoffs.get(key)?.failures ?? 0) + 1;
      const waitMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1));
      this.backoffs.delete(key);
      this.backoffs.set(key, { failures, retryAt: this.elapsed() + waitMs });
      // Made-up keys must not grow this for ever: the oldest go first.
      while (this.backoffs.size > this.options.maxEntries) this.backoffs.delete(this.backoffs.keys().next().value as string);
    }
  }

  private isUnavailable(error: unknown): boolean {
    return this.options.isUnavailable?.(error) ?? true;
  }

  private closeBreaker() {
    // Back from an outage: every key may try again at once.
    if (this.breaker?.answered()) this.backoffs.clear();
  }

  private backedOff(key: string): boolean {
    const backoff = this.backoffs.get(key);
    return backoff !== undefined && this.elapsed() < backoff.retryAt;
  }

  /** Whether the last render to reach a verdict found the database unavailable. */
  private suspect(): boolean {
    return (this.breaker?.failures ?? 0) > 0;
  }

  /** Whether a reader with an older render to serve should get it rather than wait. */
  private failing(key: string): boolean {
    return this.suspect() || (this.breaker !== undefined && this.breaker.state !== 'closed') || this.backedOff(key);
  }

  private unavailable(entry: Entry | undefined): Rendered {
    if (entry) return this.serveStale(entry);
    throw this.options.timeoutError?.() ?? new Error('The database is unavailable');
  }

  private serveStale(entry: Entry): Rendered {
    this.counts.staleServes += 1;
    const variant = this.options.staleVariant;
    if (!variant) return entry.rendered;
    if (!entry.stale) {
      entry.stale = variant(entry.rendered);
      if (entry.stale !== entry.rendered) {
        entry.bytes += sizeOf(entry.stale);
        this.bytes += sizeOf(entry.stale);
      }
    }
    return entry.stale;
  }

  /**
   * A database that stops answering (rather than refusing) would hold every reader until
   * the render gives up. Readers wait a short while for the new render, then get the last
   * good one; the render goes on, and its result serves the readers after them. A render
   * that fails because the database is unavailable is answered with the last good one too.
   */
  private withDeadline(job: Promise<Rendered>, entry: Entry | undefined, startedAt: number): Promise<Rendered> {
    const fallBack = (error: unknown): Rendered => {
      if (entry && this.isUnavailable(error)) return this.serveStale(entry);
      throw error;
    };
    const limit = entry ? this.options.staleAfterMs : this.options.maxWaitMs;
    return new Promise<Rendered>((resolve, reject) => {
      // The first of the render, the deadline and a failure elsewhere answers; once.
      let answered = false;
      const answer = (value: () => Rendered) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        this.waiting.delete(release);
        try {
          resolve(value());
        } catch (error) {
          reject(error);
        }
      };
      const release = () => entry && answer(() => this.serveStale(entry));
      // Deadlines run from the render's start, in real time: once it is late, later readers
      // get the old page at once instead of each waiting the whole while again.
      const timer =
        limit === undefined
          ? undefined
          : setTimeout(
              () =>
                answer(() => {
                  if (entry) return this.serveStale(entry);
                  throw this.options.timeoutError?.() ?? new Error('Render timed out');
                }),
              Math.max(0, limit - (this.elapsed() - startedAt)),
            );
      timer?.unref();
      if (entry) this.waiting.add(release);
      job.then(
        (rendered) => answer(() => rendered),
        (error: unknown) => answer(() => fallBack(error)),
      );
    });
  }

  private isFresh(entry: Rendered): boolean {
    return entry.generation === this.generation && !this.expired(entry.renderedAt);
  }

  /**
   * Whether a reader of `generation` may wait for `flight` rather than start a render: a
   * follow-up that has not begun will read data at least as new; any other must be of this
   * generation (a write since would be missing from it) and have begun within the TTL.
   */
  private shareable(flight: Flight, generation: number): boolean {
    if (flight.generation === null) return true;
    return flight.generation === generation && (flight.readAt === null || !this.expired(flight.readAt));
  }

  /** Whether a render that began reading at `readAt` is older than the TTL allows. */
  private expired(readAt: number): boolean {
    return this.now() - readAt >= this.options.ttlMs;
  }

  /** Marks an entry as the most recently used, so a page read often is the last one dropped. */
  private touch(key: string, entry: Entry) {
    if (this.options.pinned?.(key)) {
      this.pinnedEntries.set(key, entry);
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private store(key: string, entry: Entry) {
    const previous = this.entries.get(key) ?? this.pinnedEntries.get(key);
    if (previous) this.bytes -= previous.bytes;
    this.bytes += entry.bytes;
    this.touch(key, entry);
    // Maps iterate in insertion order: the first key is the least recently used.
    const maxBytes = this.options.maxBytes ?? Infinity;
    while (this.entries.size > 0 && (this.entries.size > this.options.maxEntries || this.bytes > maxBytes)) {
      const [oldest, dropped] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      this.bytes -= dropped.bytes;
    }
  }
}
