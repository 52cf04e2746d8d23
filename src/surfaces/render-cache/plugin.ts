import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../../core/clock.js';
import { Errors } from '../../core/errors.js';
import { RenderCache, type RenderResult } from './render-cache.js';
import { sendRendered, type CachePolicy } from './send-rendered.js';

export interface PublicRenders {
  /** Serves `key` out of the cache, rendering it with `render` when it is missing or stale. */
  serve: (request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<RenderResult>) => Promise<unknown>;
  /**
   * Keys that are never evicted: what must still be there when the database is not (the
   * status page, the feeds, summary.json), and the shared 404s that made-up ids all map to.
   */
  pin: (key: string) => void;
  /** Every key starting with `prefix` is pinned (a whole API). */
  pinPrefix: (prefix: string) => void;
  /** The `Cache-Control` every cached public answer is sent with. */
  policy: CachePolicy;
}

declare module 'fastify' {
  interface FastifyInstance {
    publicCache: RenderCache;
    publicRenders: PublicRenders;
  }
}

export interface RenderCachePluginOptions {
  /** Renders are rebuilt at least this often, even without writes. */
  ttlMs: number;
  /** The `Cache-Control` of every cached public answer. */
  policy: CachePolicy;
  clock: Clock;
}

/**
 * The one render cache of the public surfaces (web pages, feeds, badges, Statuspage API): a
 * render per key per change, served as bytes. Each surface registers its pinned keys here.
 */
export default fp<RenderCachePluginOptions>(
  async (app, { ttlMs, policy, clock }) => {
    const pinnedKeys = new Set<string>();
    const pinnedPrefixes: string[] = [];
    const cache = new RenderCache({
      ttlMs,
      maxEntries: 1000,
      pinned: (key) => pinnedKeys.has(key) || pinnedPrefixes.some((prefix) => key.startsWith(prefix)),
      staleAfterMs: 2000,
      maxWaitMs: 15_000,
      timeoutError: () => new Errors.databaseUnavailable(),
      now: () => clock().getTime(),
    });
    app.decorate('publicCache', cache);
    app.decorate('publicRenders', {
      serve: async (request, reply, key, render) => sendRendered(request, reply, await cache.get(key, render), policy),
      pin: (key) => void pinnedKeys.add(key),
      pinPrefix: (prefix) => void pinnedPrefixes.push(prefix),
      policy,
    } satisfies PublicRenders);
  },
  { name: 'render-cache' },
);
