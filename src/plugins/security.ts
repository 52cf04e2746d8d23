import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { Errors } from '../core/errors.js';

/** Security headers on every answer, and the rate limiter routes opt into. */
export default fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // A public status page is meant to be embedded in dashboards and read from other sites.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    });
    await app.register(rateLimit, {
      global: false,
      // Our own coded error, so a 429 reads `{ error: 'HG_RATE_LIMITED', message }` like every other error.
      errorResponseBuilder: (_request, context) => new Errors.rateLimited(`Too many requests; retry in ${context.after}`),
    });
  },
  { name: 'security' },
);
