import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Rendered } from './render-cache.js';

export interface CachePolicy {
  maxAgeSeconds: number;
  staleWhileRevalidateSeconds: number;
  staleIfErrorSeconds: number;
  /** The URL names these exact bytes (a versioned asset): caches need never revalidate it. */
  immutable?: boolean;
}

/** A versioned asset's policy: its URL names its bytes, so a year and never asked again. */
export const IMMUTABLE: CachePolicy = { maxAgeSeconds: 31_536_000, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0, immutable: true };

export function cacheControl(policy: CachePolicy): string {
  if (policy.immutable) return `public, max-age=${policy.maxAgeSeconds}, immutable`;
  return `public, max-age=${policy.maxAgeSeconds}, stale-while-revalidate=${policy.staleWhileRevalidateSeconds}, stale-if-error=${policy.staleIfErrorSeconds}`;
}

/**
 * Each encoding is its own representation with its own strong validator (RFC 9110 §8.8.3):
 * `"abc"`, `"abc-br"`, `"abc-gz"`; a render's quick compressed forms, sent until its best ones
 * replace them, are other bytes, so they are `"abc-brq"` and `"abc-gzq"`. A client holding any
 * of them holds the same content, so any of them answers 304.
 */
function etagFor(rendered: Rendered, encoding: Encoding): string {
  if (encoding === 'identity') return rendered.etag;
  return `${rendered.etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}${rendered.quick ? 'q' : ''}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const base = etag.slice(1, -1);
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag.replace(/-(br|gz)q?"$/, '"') === `"${base}"`;
  });
}

/**
 * RFC 9110 §13.1.3: `If-None-Match` decides when present; otherwise `If-Modified-Since`, only
 * where `Last-Modified` is the content's own time. HTTP dates have whole seconds: an entry
 * later in the same second as the client's copy is seen by the ETag, not by the date.
 */
function notModified(headers: IncomingHttpHeaders, rendered: Rendered): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch) return etagMatches(ifNoneMatch, rendered.etag);
  const since = headers['if-modified-since'];
  if (!since || !rendered.lastModifiedIsContent) return false;
  const sinceMs = Date.parse(since);
  return Number.isFinite(sinceMs) && Math.floor(rendered.lastModified.getTime() / 1000) * 1000 <= sinceMs;
}

export type Encoding = 'br' | 'gzip' | 'identity';

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

/**
 * Clients send few distinct `Accept-Encoding` values (one per browser or library): each is
 * parsed once. Bounded, as the header is the client's to choose.
 */
const encodingByHeader = new Map<string, Encoding>();
const MAX_REMEMBERED_HEADERS = 256;

function encodingFor(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  let encoding = encodingByHeader.get(acceptEncoding);
  if (encoding === undefined) {
    encoding = chooseEncoding(acceptEncoding);
    if (encodingByHeader.size >= MAX_REMEMBERED_HEADERS) encodingByHeader.clear();
    encodingByHeader.set(acceptEncoding, encoding);
  }
  return encoding;
}

/** The headers of one representation of a render: the ones a 304 repeats, and the full set. */
interface RepresentationHeaders {
  notModified: Readonly<Record<string, string>>;
  full: Readonly<Record<string, string>>;
}

export type HeaderSets = Record<Encoding, RepresentationHeaders>;

/**
 * Everything an answer from a render says besides its body is fixed by the render, the
 * encoding and the cache policy, so it is worked out once per render and policy.
 */
export function headerSetsFor(rendered: Rendered, policy: CachePolicy): HeaderSets {
  const lastModified = rendered.lastModified.toUTCString();
  const cache = rendered.status === 200 ? cacheControl(policy) : 'no-store';
  const representation = (encoding: Encoding): RepresentationHeaders => {
    const notModified = {
      etag: etagFor(rendered, encoding),
      'last-modified': lastModified,
      'cache-control': cache,
      vary: 'Accept-Encoding',
    };
    const full = { ...notModified, 'content-type': rendered.contentType, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }) };
    return { notModified: Object.freeze(notModified), full: Object.freeze(full) };
  };
  // A render without its gzip form yet answers those who ask for gzip as it answers identity.
  const identity = representation('identity');
  return { br: representation('br'), gzip: rendered.gzip ? representation('gzip') : identity, identity };
}

/**
 * Header sets by policy, then by render. Weak on both sides: a render dropped from the cache
 * takes its headers with it. Policies are the few objects the surfaces are configured with.
 */
const headerSetsByPolicy = new WeakMap<CachePolicy, WeakMap<Rendered, HeaderSets>>();

export function headerSets(rendered: Rendered, policy: CachePolicy): HeaderSets {
  let byRender = headerSetsByPolicy.get(policy);
  if (!byRender) headerSetsByPolicy.set(policy, (byRender = new WeakMap()));
  let sets = byRender.get(rendered);
  if (!sets) byRender.set(rendered, (sets = headerSetsFor(rendered, policy)));
  return sets;
}

/** What a request gets of a render: which of its encodings, or a 304 when the client has it. */
export interface Answer {
  encoding: Encoding;
  notModified: boolean;
}

export function answerFor(headers: IncomingHttpHeaders, rendered: Rendered): Answer {
  return { encoding: encodingFor(headers['accept-encoding']), notModified: rendered.status === 200 && notModified(headers, rendered) };
}

/** The body for `encoding`: the raw bytes for gzip while the render has no gzip form (see headerSetsFor). */
export function bodyIn(rendered: Rendered, encoding: Encoding): Buffer {
  return encoding === 'br' ? rendered.br : encoding === 'gzip' && rendered.gzip ? rendered.gzip : rendered.raw;
}

/**
 * Sends a cached render as it is: no per-request compression and one precomputed block of
 * headers; 304 when the client has it.
 */
export function sendRendered(request: FastifyRequest, reply: FastifyReply, rendered: Rendered, policy: CachePolicy) {
  const answer = answerFor(request.headers, rendered);
  const headers = headerSets(rendered, policy)[answer.encoding];
  if (answer.notModified) return reply.headers(headers.notModified).code(304).send();
  reply.headers(headers.full).code(rendered.status);
  return reply.send(bodyIn(rendered, answer.encoding));
}
