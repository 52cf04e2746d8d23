import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { Errors } from '../core/errors.js';

/**
 * The Content-Security-Policy of every answer. No page has inline script or inline style, so
 * no answer needs a nonce and the policy is one constant string. A custom stylesheet (page
 * settings) is held to it too: it can load nothing from another origin (no `@import`, font or
 * image from elsewhere) and no style can be injected inline.
 */
const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'upgrade-insecure-requests': [],
};

function contentSecurityPolicy(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join(';');
}

/**
 * The security headers of every answer (helmet's defaults, which this set was taken from, with
 * our policy), built once: they are the same for every request, so nothing about them is worked
 * out per request.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': contentSecurityPolicy(CONTENT_SECURITY_POLICY),
  'cross-origin-opener-policy': 'same-origin',
  // A public status page is meant to be embedded in dashboards and read from other sites.
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  // The old XSS auditors did more harm than good; "0" turns them off where they still exist.
  'x-xss-protection': '0',
});

/**
 * Security headers on every answer, and the rate limiter routes opt into. The headers are set
 * as the request arrives, so an error, a 404 and a 304 carry them too, and a route may still
 * set one of its own (the API viewer at /docs sends its own policy). A synchronous hook with one
 * constant block: it runs on every request, the public page's under a spike too.
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(SECURITY_HEADERS);
      done();
    });
    await app.register(rateLimit, {
      global: false,
      // Our own coded error, so a 429 reads `{ error: 'HG_RATE_LIMITED', message }` like every other error.
      errorResponseBuilder: (_request, context) => new Errors.rateLimited(`Too many requests; retry in ${context.after}`),
    });
  },
  { name: 'security' },
);
