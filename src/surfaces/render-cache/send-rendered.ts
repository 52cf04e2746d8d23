import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Rendered } from './render-cache.js';

export interface CachePolicy {
  maxAgeSeconds: number;
  staleWhileRevalidateSeconds: number;
  staleIfErrorSeconds: number;
  /** The URL names these exact bytes (a versioned asset): caches need never revalidate it. */
  immutable?: boolean;
}

export function cacheControl(policy: CachePolicy): string {
  if (policy.immutable) return `public, max-age=${policy.maxAgeSeconds}, immutable`;
  return `public, max-age=${policy.maxAgeSeconds}, stale-while-revalidate=${policy.staleWhileRevalidateSeconds}, stale-if-error=${policy.staleIfErrorSeconds}`;
}

/**
 * Each encoding is its own representation with its own strong validator (RFC 9110 §8.8.3):
 * `"abc"`, `"abc-br"`, `"abc-gz"`. A client holding any of them holds the same content, so
 * any of them answers 304.
 */
function etagFor(etag: string, encoding: Encoding): string {
  return encoding === 'identity' ? etag : `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const base = etag.slice(1, -1);
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag.replace(/-(br|gz)"$/, '"') === `"${base}"`;
  });
}

/**
 * RFC 9110 §13.1.3: `If-None-Match` decides when present; otherwise `If-Modified-Since`, only
 * where `Last-Modified` is the content's own time. HTTP dates have whole seconds: an entry
 * later in the same second as the client's copy is seen by the ETag, not by the date.
 */
function notModified(request: FastifyRequest, rendered: Rendered): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch) return etagMatches(ifNoneMatch, rendered.etag);
  const since = request.headers['if-modified-since'];
  if (!since || !rendered.lastModifiedIsContent) return false;
  const sinceMs = Date.parse(since);
  return Number.isFinite(sinceMs) && Math.floor(rendered.lastModified.getTime() / 1000) * 1000 <= sinceMs;
}

type Encoding = 'br' | 'gzip' | 'identity';

/** Picks the encoding the client prefers among those we keep; q=0 excludes one. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    // RFC 9110 allows whitespace before the ";": "br ;q=0" still refuses br.
    accepted.set(name!.trim(), q ? Number(q[1]) : 1);
  }
  const quality = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (quality('br') > 0 && quality('br') >= quality('gzip')) return 'br';
  if (quality('gzip') > 0) return 'gzip';
  return 'identity';
}

/** Sends a cached render as it is: no per-request compression, 304 when the client has it. */
export function sendRendered(request: FastifyRequest, reply: FastifyReply, rendered: Rendered, policy: CachePolicy) {
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  reply
    .header('etag', etagFor(rendered.etag, encoding))
    .header('last-modified', rendered.lastModified.toUTCString())
    .header('cache-control', rendered.status === 200 ? cacheControl(policy) : 'no-store')
    .header('vary', 'Accept-Encoding');
  if (rendered.status === 200 && notModified(request, rendered)) return reply.code(304).send();
  reply.code(rendered.status).type(rendered.contentType);
  if (encoding === 'identity') return reply.send(rendered.raw);
  return reply.header('content-encoding', encoding).send(encoding === 'br' ? rendered.br : rendered.gzip);
}
