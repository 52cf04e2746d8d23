import fp from 'fastify-plugin';
import { Errors } from '../core/errors.js';
import { containsNonFiniteNumber, withDepthLimit } from '../http/json-body.js';

export interface RequestLimitsOptions {
  /** Longest request target (path and query string), in bytes. */
  maxUrlLength: number;
  /** Deepest nesting of arrays and objects in a JSON body. */
  maxJsonDepth: number;
}

/**
 * Limits on what a request may carry, for every route: a 414 for a URL longer than
 * `maxUrlLength` (before its query string is used), JSON bodies parsed only up to
 * `maxJsonDepth` levels, and no infinite number past validation. Register it before the
 * routes: a plugin's JSON parser is the one its parent had when it was registered. (The admin
 * API installs its own parser, limited alike.)
 */
export default fp<RequestLimitsOptions>(
  async (app, { maxUrlLength, maxJsonDepth }) => {
    // Synchronous hooks: they run on every request, the public page's under a spike too, and an
    // async hook costs a promise and a tick each time.
    app.addHook('onRequest', (request, _reply, done) => {
      // `raw.url` is the request target as sent: percent-encoded, one character per byte.
      if (request.raw.url && request.raw.url.length > maxUrlLength) {
        return done(new Errors.urlTooLong(`The URL is longer than ${maxUrlLength} bytes`));
      }
      done();
    });
    // After validation, which may have made Infinity out of "1e309" and let it past the limits.
    app.addHook('preHandler', (request, _reply, done) => {
      const part = (['querystring', 'params', 'body'] as const).find((name) =>
        containsNonFiniteNumber(name === 'querystring' ? request.query : request[name]),
      );
      done(part ? new Errors.invalid(`Invalid ${part}: a number is out of range`) : undefined);
    });
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, withDepthLimit((request, body, done) => parseJson(request, body, done), maxJsonDepth));
  },
  { name: 'request-limits' },
);
