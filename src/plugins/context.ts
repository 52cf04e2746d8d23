import fp from 'fastify-plugin';
import { systemClock, type Clock } from '../core/clock.js';
import type { Site } from '../core/site.js';
import type { ResponseTargets } from '../domain/response-clocks.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current time. One source, so tests can move time without touching the system clock. */
    now: Clock;
    /** The page's identity: where links point, what the page is called, how times read. */
    site: Site;
    /** Response targets by severity (P0 acknowledged in 5 min, …). */
    targets: ResponseTargets;
  }
}

/** What every verb and page shares: the clock, the page's identity and the response targets. */
export default fp<{ now?: Clock; site: Site; targets: ResponseTargets }>(
  async (app, { now, site, targets }) => {
    app.decorate('now', now ?? systemClock);
    app.decorate('site', site);
    app.decorate('targets', targets);
  },
  { name: 'context' },
);
