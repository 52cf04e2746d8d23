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
  maxEntries: number;
  now?: () => number;
}

/**
 * Public pages are rendered once per change and served from memory to every reader. A write
 * calls `invalidate()`; the next request renders afresh, and concurrent requests for the same
 * key share that one render. When a render fails (the database is down), the last good
 * render is served instead, however old.
 */
export class RenderCache {
  private readonly entries = new Map<string, Rendered>();
  private readonly inFlight = new Map<string, { generation: number; job: Promise<Rendered> }>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: RenderCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  invalidate(): void {
    this.generation += 1;
  }

  async get(key: string, render: () => Promise<RenderResult>): Promise<Rendered> {
    const cached = this.entries.get(key);
    if (cached && this.isFresh(cached)) {
      this.touch(key, cached);
      return cached;
    }
    const generation = this.generation;
    // Only a render of the current data may be shared: one begun before a write would show
    // a request that came after the write what it has already changed.
    const pending = this.inFlight.get(key);
    if (pending && pending.generation === generation) return pending.job;

    const job: Promise<Rendered> = render()
      .then((result) => {
        const entry = compress(result, generation, this.now());
        // Keep the entry unless a write came while rendering; the next request renders again.
        if (generation === this.generation) this.store(key, entry);
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
    this.inFlight.set(key, { generation, job });
    return job;
  }

  private isFresh(entry: Rendered): boolean {
    return entry.generation === this.generation && this.now() - entry.renderedAt < this.options.ttlMs;
  }

  /** Marks an entry as the most recently used, so a page read often is the last one dropped. */
  private touch(key: string, entry: Rendered) {
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

export function compress(result: RenderResult, generation: number, now: number): Rendered {
  const raw = Buffer.isBuffer(result.body) ? result.body : Buffer.from(result.body, 'utf8');
  return {
    status: result.status ?? 200,
    contentType: result.contentType,
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }),
    etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
    lastModified: result.lastModified ?? new Date(now),
    renderedAt: now,
    generation,
  };
}
