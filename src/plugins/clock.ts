import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current time. One source, so tests can move time without touching the system clock. */
    now: () => Date;
  }
}

export default fp<{ now?: () => Date }>(
  async (app, { now }) => {
    app.decorate('now', now ?? (() => new Date()));
  },
  { name: 'clock' },
);
