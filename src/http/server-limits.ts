import type { ServerOptions } from 'node:http';
import type { Config } from '../config.js';

/**
 * A path parameter longer than this is refused by the router (a 414). Our longest is a
 * subscription link's 43-character token; a uuid is 36. Fastify's own default, set here so it
 * is a decision.
 */
export const MAX_PARAM_LENGTH = 100;

type TimeoutSettings = Pick<Config, 'headersTimeoutSeconds' | 'requestTimeoutSeconds' | 'connectionTimeoutSeconds' | 'keepAliveTimeoutSeconds'>;

/**
 * The HTTP server's timeouts, as Fastify options. Node checks the headers and request timeouts
 * only every `connectionsCheckingInterval` (30 s unless told): checking at half the shorter
 * timeout, at most every 5 s, keeps a trickled request from outliving its timeout by much.
 */
export function serverTimeouts(config: TimeoutSettings): {
  requestTimeout: number;
  connectionTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  const headersTimeout = config.headersTimeoutSeconds * 1000;
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    connectionTimeout: config.connectionTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.min(5000, Math.ceil(Math.min(headersTimeout, requestTimeout) / 2)),
    },
  };
}
