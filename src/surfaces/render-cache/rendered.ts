import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

/** One rendered public response, with its compressed forms made once at render time. */
export interface Rendered {
  status: number;
  contentType: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  lastModified: Date;
  /**
   * Whether `lastModified` is the content's own time (a feed's newest entry), so that
   * `If-Modified-Since` may answer 304; a page's render time says nothing about its content.
   */
  lastModifiedIsContent: boolean;
  renderedAt: number;
  /** The generation of data it was rendered from; a write moves the generation on. */
  generation: number;
  /**
   * Where in `raw` a notice that the page may be out of date goes (HTML pages, from the
   * layout's STALE_NOTICE_MARKER, which is taken out of the body).
   */
  noticeAt?: number;
}

export interface RenderResult {
  status?: number;
  contentType: string;
  body: string | Buffer;
  lastModified?: Date;
}

/**
 * Brotli's quality decides what a write costs. On the status page with 50 components (89 KB)
 * quality 11 took 142 ms and quality 9 72 ms, for 5.6 and 6.5 KB; quality 5 takes 3 ms for
 * 6.6 KB: within 2 % of 9, and the page renders at once after a write. Small bodies (the
 * Statuspage JSON of a small page, badges) keep the best quality, which costs them a few
 * milliseconds at most.
 */
export const BROTLI_MAX_QUALITY_BYTES = 8 * 1024;
const BROTLI_FAST_QUALITY = 5;

export function brotliQualityFor(byteLength: number): number {
  return byteLength <= BROTLI_MAX_QUALITY_BYTES ? 11 : BROTLI_FAST_QUALITY;
}

/**
 * gzip (for the clients without brotli) the same way: level 9 for small bodies, zlib's default
 * 6 above. On the status page with 200 components (540 KB) level 9 took 3.5 ms for 31.5 KB and
 * level 6 2.2 ms for 32.6 KB; at 50 components 0.9 and 0.6 ms, within 4 % in size.
 */
export function gzipLevelFor(byteLength: number): number {
  return byteLength <= BROTLI_MAX_QUALITY_BYTES ? 9 : 6;
}

/** Where the layout (views/layouts/main.eta) lets a notice in; never sent as it is. */
export const STALE_NOTICE_MARKER = '<!--hg:stale-notice-->';

const MARKER_BYTES = Buffer.from(STALE_NOTICE_MARKER, 'latin1');
const NEWLINE = 0x0a;

/**
 * The body as bytes, with the stale notice's marker taken out and its place kept. Looked for
 * in the bytes, not the string: a template's output is a string of many pieces, which encoding
 * walks once anyway, and searching and slicing it as a string cost another walk or two (1.7 ms
 * of a 90 KB page's re-render).
 */
function bodyOf(result: RenderResult): { raw: Buffer; noticeAt?: number } {
  if (Buffer.isBuffer(result.body)) return { raw: result.body };
  const encoded = Buffer.from(result.body, 'utf8');
  const at = encoded.indexOf(MARKER_BYTES);
  if (at < 0) return { raw: encoded };
  // The line the marker sits on goes with it: the page is byte for byte what it was without.
  const end = at + MARKER_BYTES.length + (encoded[at + MARKER_BYTES.length] === NEWLINE ? 1 : 0);
  return { raw: Buffer.concat([encoded.subarray(0, at), encoded.subarray(end)]), noticeAt: at };
}

const gzipOptions = (raw: Buffer) => ({ level: gzipLevelFor(raw.length) });
const brotliOptions = (raw: Buffer) => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: brotliQualityFor(raw.length), [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
});
const gzipInPool = promisify(gzip);
const brotliInPool = promisify(brotliCompress);

function rendered(result: RenderResult, body: { raw: Buffer; noticeAt?: number }, encoded: { gzip: Buffer; br: Buffer }, generation: number, now: number): Rendered {
  return {
    status: result.status ?? 200,
    contentType: result.contentType,
    raw: body.raw,
    ...encoded,
    etag: `"${createHash('sha256').update(body.raw).digest('base64url').slice(0, 27)}"`,
    lastModified: result.lastModified ?? new Date(now),
    lastModifiedIsContent: result.lastModified !== undefined,
    renderedAt: now,
    generation,
    ...(body.noticeAt === undefined ? {} : { noticeAt: body.noticeAt }),
  };
}

/** A render with its compressed forms, made here and now (on the event loop). */
export function compress(result: RenderResult, generation: number, now: number): Rendered {
  const body = bodyOf(result);
  return rendered(result, body, encodeInPlace(body.raw), generation, now);
}

/**
 * Bodies up to this size at brotli's fast quality are compressed where they are, on the event
 * loop: 256 KiB took 1.7 ms of brotli and 2.3 ms of gzip, the 90 KB page at 50 components
 * 0.8 and 0.5 ms, less than the hand-over to the thread pool and back costs a reader waiting
 * for the render after a write (2.7 ms for that page, measured in the same process).
 */
export const IN_PLACE_MAX_BYTES = 256 * 1024;

/** Whether compressing `raw` costs so little that the loop may do it itself (see IN_PLACE_MAX_BYTES). */
export function compressesInPlace(byteLength: number): boolean {
  return byteLength > BROTLI_MAX_QUALITY_BYTES && byteLength <= IN_PLACE_MAX_BYTES;
}

/**
 * The same, with the costly compressions done on libuv's thread pool: brotli at quality 11
 * took 17 ms on 8 KiB, and a large page (540 KB at 200 components) several milliseconds of
 * each encoding, which on the event loop would hold every reader and every write for as long.
 * The two run side by side. Cheap ones are done in place (IN_PLACE_MAX_BYTES).
 */
export async function compressOffLoop(result: RenderResult, generation: number, now: number): Promise<Rendered> {
  const body = bodyOf(result);
  if (compressesInPlace(body.raw.length)) return rendered(result, body, encodeInPlace(body.raw), generation, now);
  const [gzipped, br] = await Promise.all([gzipInPool(body.raw, gzipOptions(body.raw)), brotliInPool(body.raw, brotliOptions(body.raw))]);
  return rendered(result, body, { gzip: gzipped, br }, generation, now);
}

function encodeInPlace(raw: Buffer): { gzip: Buffer; br: Buffer } {
  return { gzip: gzipSync(raw, gzipOptions(raw)), br: brotliCompressSync(raw, brotliOptions(raw)) };
}

/**
 * The same render with `notice` (HTML) where its layout allows one: its own bytes, ETag and
 * headers, so a cache holding the current page never takes it for this one. A render without
 * a place for a notice (JSON, feeds, badges) is served as it is.
 */
export function withNotice(rendered: Rendered, notice: string): Rendered {
  if (rendered.noticeAt === undefined) return rendered;
  const at = rendered.noticeAt;
  const body = Buffer.concat([rendered.raw.subarray(0, at), Buffer.from(notice, 'utf8'), rendered.raw.subarray(at)]);
  const variant = compress({ status: rendered.status, contentType: rendered.contentType, body, lastModified: rendered.lastModified }, rendered.generation, rendered.renderedAt);
  return { ...variant, lastModifiedIsContent: rendered.lastModifiedIsContent };
}
