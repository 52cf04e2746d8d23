import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * Paths whose last segment is a subscriber's link token. A token in a log line is a working
 * link: whoever reads the log could confirm or cancel someone else's subscription.
 */
const LINK_TOKEN_PATH = /^(\/subscribe\/confirm\/|\/unsubscribe\/)[^/?#]+/;

/** The URL as a log line may show it: link tokens replaced by `[redacted]`. */
export function redactLinkTokens(url: string): string {
  return url.replace(LINK_TOKEN_PATH, '$1[redacted]');
}

/** Fastify's default `req` log serializer, with the link tokens taken out of the URL. */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactLinkTokens(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Logger options with `serializeRequest` for every request line; `false` stays off. */
export function withRedactedRequests(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, req: serializeRequest } };
}
