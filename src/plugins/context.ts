import fp from 'fastify-plugin';
import { systemClock, type Clock } from '../core/clock.js';
import type { Site } from '../core/site.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current time. One source, so tests can move time without touching the system clock. */
    now: Clock;
    /** The page's identity: where links point, what the page is called, how times read. */
    site: Site;
  }
}

/** What every verb and page shares: the clock and the page's identity. */
export default fp<{ now?: Clock; site: Site }>(
  async (app, { now, site }) => {
    app.decorate('now', now ?? systemClock);
    app.decorate('site', site);
  },
  { name: 'context' },
);
