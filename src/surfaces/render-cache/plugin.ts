import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../../core/clock.js';
import { Errors } from '../../core/errors.js';
import { isDatabaseDown } from '../../plugins/errors.js';
import { RenderCache, withNotice, type RenderResult } from './render-cache.js';
import type { Rendered } from './rendered.js';
import { LANGUAGES } from '../../domain/languages.js';
import { translator } from '../../i18n/translator.js';
import { sendRendered, type CachePolicy } from './send-rendered.js';
import type { DirectAnswers, DirectRoute } from './direct-answers.js';

export interface PublicRenders {
  /**
   * Serves `key` out of the cache, rendering it with `render` when it is missing or stale. A
   * current render is sent at once and nothing is returned (the route answers synchronously);
   * otherwise the promise settles once the answer is sent.
   */
  serve: (request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<RenderResult>) => Promise<unknown> | undefined;
  /**
   * Keys that are never evicted: what must still be there when the database is not (the
   * status page, the feeds, summary.json), and the shared 404s that made-up ids all map to.
   */
  pin: (key: string) => void;
  /** Every key starting with `prefix` is pinned (a whole API). */
  pinPrefix: (prefix: string) => void;
  /** The `Cache-Control` every cached public answer is sent with. */
  policy: CachePolicy;
  /**
   * GET `path` is answered from the cache before routing while its render is current (see
   * direct-answers.ts); the route itself answers everything else, and must answer the same.
   */
  direct: (path: string, route: DirectRoute) => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    publicCache: RenderCache;
    publicRenders: PublicRenders;
    directAnswers: DirectAnswers;
  }
}

export interface RenderCachePluginOptions {
  /** Renders are rebuilt at least this often, even without writes. */
  ttlMs: number;
  /** Bytes of renders kept in memory (raw, gzip and br together). */
  maxBytes: number;
  /** The `Cache-Control` of every cached public answer. */
  policy: CachePolicy;
  clock: Clock;
  /** Where the routes' direct answers are registered, and served from this cache. */
  directAnswers: DirectAnswers;
}

/**
 * How the cache rides out a database outage. Failed keys wait 0.25 s, then 0.5 s, … up to 5 s
 * before their next attempt; three unavailable renders in a row open the breaker, and one probe
 * a second then checks whether the database is back: a page is current again within seconds.
 */
const RESILIENCE = {
  backoff: { initialMs: 250, maxMs: 5000 },
  breaker: { failures: 3, probeAfterMs: 1000 },
} as const;

/**
 * Renders of unpinned keys (incident pages, history pages, component feeds) at once and
 * waiting: a flood of distinct URLs costs at most this much rendering, the rest get a 503.
 */
const RENDER_SLOTS = { concurrent: 4, queued: 32 } as const;

/**
 * The one render cache of the public surfaces (web pages, feeds, badges, Statuspage API): a
 * render per key per change, served as bytes. Each surface registers its pinned keys here.
 */
export default fp<RenderCachePluginOptions>(
  async (app, { ttlMs, maxBytes, policy, clock, directAnswers }) => {
    const pinnedKeys = new Set<string>();
    const pinnedPrefixes: string[] = [];
    // Rendered once per language: the markup is the template's, the cache only places it.
    const notices = new Map<string, string>();
    for (const lang of LANGUAGES) notices.set(lang, await app.view('partials/stale-notice.eta', { t: translator(lang).t }));
    /** A page says its language in its first line (`<html lang="de">`): the notice speaks it too. */
    const noticeFor = (rendered: Rendered) => {
      const lang = /<html lang="([a-z]{2})">/.exec(rendered.raw.subarray(0, 64).toString('latin1'))?.[1];
      return notices.get(lang ?? 'en') ?? notices.get('en')!;
    };
    const cache = new RenderCache({
      ttlMs,
      maxEntries: 1000,
      maxBytes,
      pinned: (key) => pinnedKeys.has(key) || pinnedPrefixes.some((prefix) => key.startsWith(prefix)),
      staleAfterMs: 2000,
      maxWaitMs: 15_000,
      timeoutError: () => new Errors.databaseUnavailable(),
      isUnavailable: isDatabaseDown,
      ...RESILIENCE,
      renderSlots: {
        ...RENDER_SLOTS,
        busyError: () =>
          Object.assign(new Errors.busy('Too many pages are being prepared at once; try again in a moment'), { headers: { 'retry-after': '1' } }),
      },
      staleVariant: (rendered) => withNotice(rendered, noticeFor(rendered)),
      now: () => clock().getTime(),
    });
    app.decorate('publicCache', cache);
    app.decorate('directAnswers', directAnswers);
    // While the app closes, Fastify answers 503 with `Connection: close` so that keep-alive
    // clients let go of their connections: the direct answers step aside for it.
    let closing = false;
    app.addHook('preClose', (done) => {
      closing = true;
      done();
    });
    directAnswers.serveFrom({ cache, policy, defaultLanguage: () => app.defaultLanguage(), available: () => !closing && !app.database.failure() });
    app.decorate('publicRenders', {
      serve: (request, reply, key, render) => {
        const hit = cache.fresh(key);
        if (hit) {
          sendRendered(request, reply, hit, policy);
          return undefined;
        }
        return cache.get(key, render).then((rendered) => sendRendered(request, reply, rendered, policy));
      },
      pin: (key) => void pinnedKeys.add(key),
      pinPrefix: (prefix) => void pinnedPrefixes.push(prefix),
      policy,
      direct: (path, route) => directAnswers.add(path, route),
    } satisfies PublicRenders);
  },
  { name: 'render-cache' },
);
