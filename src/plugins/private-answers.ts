import fp from 'fastify-plugin';

export interface PrivateAnswersOptions {
  /** Path prefixes whose every answer is private: `/api/admin` covers `/api/admin/…` too. */
  prefixes: readonly string[];
}

/** Whether `url` (a request target, query string and all) lies under one of `prefixes`. */
export function isUnder(url: string, prefixes: readonly string[]): boolean {
  const path = url.split('?', 1)[0]!;
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * `Cache-Control: no-store` on every answer under the private prefixes: tokens, users, drafts
 * and internal notes must stay out of shared caches and browser history, and so must the errors
 * (a 401 or a 400 can echo what was sent). Decided by path rather than by encapsulation on
 * purpose: a 404 for an unknown admin path, a 414 or a body the parser refused is answered
 * outside the admin plugins' own context, and is just as private. Set in onSend, the last
 * word, so no route can loosen it.
 */
export default fp<PrivateAnswersOptions>(
  async (app, { prefixes }) => {
    // Synchronous: it runs on every answer, the public page's under a spike too.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (isUnder(request.url, prefixes)) reply.header('cache-control', 'no-store');
      done(null, payload);
    });
  },
  { name: 'private-answers' },
);
