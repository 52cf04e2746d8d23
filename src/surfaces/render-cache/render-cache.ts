import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One rendered public response, with its compressed forms made once at render time. */
export interface Rendered {
  status: number;
  contentType: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  lastModified: Date;
  /**
   * Whether `lastModified` is the content's own time (a feed's newest entry), so that
   * `If-Modified-Since` may answer 304; a page's render time says nothing about its content.
   */
  lastModifiedIsContent: boolean;
  renderedAt: number;
  /** The generation of data it was rendered from; a write moves the generation on. */
  generation: number;
}

export interface RenderResult {
  status?: number;
  contentType: string;
  body: string | Buffer;
  lastModified?: Date;
}

export interface RenderCacheOptions {
  /** A render is rebuilt at least this often even without writes (relative times move on). */
  ttlMs: number;
  /** How many entries to keep, besides the pinned ones. */
  maxEntries: number;
  /** Keys never evicted: the pages that must survive an outage (the status page, the feed). */
  pinned?: (key: string) => boolean;
  /** How long a reader waits for a new render when an older one can be served instead. */
  staleAfterMs?: number;
  /** How long a reader waits for a render when there is nothing to serve instead. */
  maxWaitMs?: number;
  /** The error a reader gets when `maxWaitMs` runs out. */
  timeoutError?: () => Error;
  now?: () => number;
}

/**
 * Public pages are rendered once per change and served from memory to every reader. A write
 * calls `invalidate()`; the next request renders afresh, and concurrent requests for the same
 * key share that one render. When a render fails or hangs (the database is down or
 * unreachable), the last good render is served instead, however old. Only successful renders
 * (and pinned keys) are kept: a 404 for a made-up URL must not take the place of a real page.
 */
export class RenderCache {
  private readonly entries = new Map<string, Rendered>();
  private readonly pinnedEntries = new Map<string, Rendered>();
  private readonly inFlight = new Map<string, { generation: number; job: Promise<Rendered>; startedAt: number }>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: RenderCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  invalidate(): void {
    this.generation += 1;
  }

  async get(key: string, render: () => Promise<RenderResult>): Promise<Rendered> {
    const cached = this.entries.get(key) ?? this.pinnedEntries.get(key);
    if (cached && this.isFresh(cached)) {
      this.touch(key, cached);
      return cached;
    }
    const generation = this.generation;
    // Only a render of the current data may be shared: one begun before a write would show
    // a request that came after the write what it has already changed.
    const pending = this.inFlight.get(key);
    if (pending && pending.generation === generation) return this.withDeadline(pending.job, cached, pending.startedAt);

    const job: Promise<Rendered> = render()
      .then((result) => {
        const entry = compress(result, generation, this.now());
        // Keep the entry unless a write came while rendering; the next request renders again.
        if (generation === this.generation && (entry.status === 200 || this.options.pinned?.(key))) this.store(key, entry);
        return entry;
      })
      .catch((error: unknown) => {
        if (cached) return cached;
        throw error;
      })
      .finally(() => {
        // A newer render of the same key may have taken this one's place: leave it there.
        if (this.inFlight.get(key)?.job === job) this.inFlight.delete(key);
      });
    const startedAt = performance.now();
    this.inFlight.set(key, { generation, job, startedAt });
    return this.withDeadline(job, cached, startedAt);
  }

  /**
   * A database that stops answering (rather than refusing) would hold every reader until
   * the render gives up. Readers wait a short while for the new render, then get the last
   * good one; the render goes on, and its result serves the readers after them.
   */
  private withDeadline(job: Promise<Rendered>, cached: Rendered | undefined, startedAt: number): Promise<Rendered> {
    const limit = cached ? this.options.staleAfterMs : this.options.maxWaitMs;
    if (limit === undefined) return job;
    // Deadlines run from the render's start, in real time: once it is late, later readers
    // get the old page at once instead of each waiting the whole while again.
    const waitMs = Math.max(0, limit - (performance.now() - startedAt));
    return new Promise<Rendered>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (cached) resolve(cached);
        else reject(this.options.timeoutError?.() ?? new Error('Render timed out'));
      }, waitMs);
      timer.unref();
      job.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  private isFresh(entry: Rendered): boolean {
    return entry.generation === this.generation && this.now() - entry.renderedAt < this.options.ttlMs;
  }

  /** Marks an entry as the most recently used, so a page read often is the last one dropped. */
  private touch(key: string, entry: Rendered) {
    if (this.options.pinned?.(key)) {
      this.pinnedEntries.set(key, entry);
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private store(key: string, entry: Rendered) {
    this.touch(key, entry);
    // Maps iterate in insertion order: the first key is the least recently used.
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

/**
 * Brotli's top quality (11) costs over ten times what quality 9 does, and the cost grows with the
 * body: a status page with a few hundred components (about 1 MB of bars) took ~160 ms at 11 and
 * ~12 ms at 9 for the same compressed size, blocking the event loop at every write. Small
 * bodies keep the best quality; large ones, whose repetitive markup compresses as well either
 * way, get 9.
 */
export const BROTLI_MAX_QUALITY_BYTES = 64 * 1024;

export function brotliQualityFor(byteLength: number): number {
  return byteLength <= BROTLI_MAX_QUALITY_BYTES ? 11 : 9;
}

export function compress(result: RenderResult, generation: number, now: number): Rendered {
  const raw = Buffer.isBuffer(result.body) ? result.body : Buffer.from(result.body, 'utf8');
  return {
    status: result.status ?? 200,
    contentType: result.contentType,
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: brotliQualityFor(raw.length), [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }),
    etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
    lastModified: result.lastModified ?? new Date(now),
    lastModifiedIsContent: result.lastModified !== undefined,
    renderedAt: now,
    generation,
  };
}
