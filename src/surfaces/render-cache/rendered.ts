import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

/** One rendered public response, with its compressed forms made once at render time. */
export interface Rendered {
  status: number;
  contentType: string;
  raw: Buffer;
  /**
   * Null in a new render's quick forms: every browser takes brotli, and the reader waiting for
   * the render must not wait for a form few ask for. Until the best forms take their place (a
   * moment later), a client that takes gzip and not brotli is sent `raw` (see send-rendered.ts).
   */
  gzip: Buffer | null;
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
   * Whether `br` (and `gzip`, when there is one) are the quick forms a new render is first sent
   * in (QUICK_BROTLI_QUALITY), until its best ones, made off the event loop, take their place
   * (RenderCache).
   */
  quick: boolean;
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
  /**
   * Parts of the body kept encoded between renders, each pasted in where the body names it
   * (fragmentMarker): bytes that are not encoded again at every render.
   */
  fragments?: readonly Buffer[];
  lastModified?: Date;
}

/**
 * Brotli's quality decides what a write costs. On the status page with 50 components (89 KB)
 * quality 11 took 142 ms and quality 9 72 ms, for 5.6 and 6.5 KB; quality 5 takes 3 ms for
 * 6.6 KB: within 2 % of 9. Small bodies (the Statuspage JSON of a small page, badges) keep the
 * best quality, which costs them a few milliseconds at most. These are a render's best forms,
 * made off the event loop after its quick ones (QUICK_BROTLI_QUALITY).
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

const FRAGMENT_OPEN = '<!--hg:fragment:';
const FRAGMENT_OPEN_BYTES = Buffer.from(FRAGMENT_OPEN, 'latin1');
const FRAGMENT_CLOSE_BYTES = Buffer.from('-->', 'latin1');

/**
 * Where `fragments[index]` goes in a body (RenderResult.fragments). A comment, so that nothing
 * a reader wrote can make one: the templates escape `<` in what they print, and Markdown is
 * sanitised without comments.
 */
export function fragmentMarker(index: number): string {
  return `${FRAGMENT_OPEN}${index}-->`;
}

/** `encoded` with each fragment's marker replaced by the fragment's bytes. */
function pasteFragments(encoded: Buffer, fragments: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = encoded.indexOf(FRAGMENT_OPEN_BYTES); at >= 0; at = encoded.indexOf(FRAGMENT_OPEN_BYTES, from)) {
    const end = encoded.indexOf(FRAGMENT_CLOSE_BYTES, at);
    const fragment = fragments[Number(encoded.toString('latin1', at + FRAGMENT_OPEN_BYTES.length, end))];
    if (!fragment) throw new Error('A render names a fragment it was not given');
    parts.push(encoded.subarray(from, at), fragment);
    from = end + FRAGMENT_CLOSE_BYTES.length;
  }
  parts.push(encoded.subarray(from));
  return Buffer.concat(parts);
}

/**
 * The body as bytes, its fragments pasted in, with the stale notice's marker taken out and its
 * place kept. Looked for in the bytes, not the string: a template's output is a string of many
 * pieces, which encoding walks once anyway, and searching and slicing it as a string cost
 * another walk or two (1.7 ms of a 90 KB page's re-render).
 */
function bodyOf(result: RenderResult): { raw: Buffer; noticeAt?: number } {
  if (Buffer.isBuffer(result.body)) return { raw: result.body };
  const encoded = result.fragments ? pasteFragments(Buffer.from(result.body, 'utf8'), result.fragments) : Buffer.from(result.body, 'utf8');
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

function rendered(result: RenderResult, body: { raw: Buffer; noticeAt?: number }, encoded: { gzip: Buffer | null; br: Buffer; quick: boolean }, generation: number, now: number): Rendered {
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

/** A render with its best compressed forms, made here and now (on the event loop). */
export function compress(result: RenderResult, generation: number, now: number): Rendered {
  const body = bodyOf(result);
  return rendered(result, body, { gzip: gzipSync(body.raw, gzipOptions(body.raw)), br: brotliCompressSync(body.raw, brotliOptions(body.raw)), quick: false }, generation, now);
}

/**
 * The form a new render is sent in first: brotli quality 1. On the status page with 50
 * components (91 KB) it takes 0.23 ms for 9.7 KB (quality 2: 0.42 ms for 8.8 KB), where the
 * best forms (brotli 5, gzip 6) take 0.9 and 0.75 ms for 6.9 and 9.0 KB, and brotli 11 on a
 * small body up to 17 ms: the reader waiting for the render after a write waits for this one,
 * and the best forms replace it a moment later (RenderCache), made on libuv's thread pool.
 * gzip level 1 (0.36 ms, 10.2 KB) is the quick gzip form where one is made at once: the
 * stale notice's variant, and a render whose best forms are not made (RenderCache).
 */
export const QUICK_BROTLI_QUALITY = 1;
export const QUICK_GZIP_LEVEL = 1;

/**
 * Bodies up to this size get their quick form at once (540 KB, the page at 200 components,
 * takes about 2 ms); a larger one, none of the public answers at the sizes the project is
 * measured at, is compressed only once, at its best, on the thread pool.
 */
export const QUICK_MAX_BYTES = 1024 * 1024;

/**
 * A render as it is first sent: encoded, and compressed in its quick brotli form here (on the
 * event loop); one over QUICK_MAX_BYTES in its best forms, off the loop.
 */
export async function encode(result: RenderResult, generation: number, now: number): Promise<Rendered> {
  const body = bodyOf(result);
  if (body.raw.length > QUICK_MAX_BYTES) return rendered(result, body, { ...(await bestFormsOffLoop(body.raw)), quick: false }, generation, now);
  return rendered(result, body, { gzip: null, br: quickBrotli(body.raw), quick: true }, generation, now);
}

const quickBrotli = (raw: Buffer) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: QUICK_BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
const quickGzip = (raw: Buffer) => gzipSync(raw, { level: QUICK_GZIP_LEVEL });

/** Both quick forms, here and now. */
function quickForms(raw: Buffer): { gzip: Buffer; br: Buffer; quick: true } {
  return { gzip: quickGzip(raw), br: quickBrotli(raw), quick: true };
}

/** A quick render with its quick gzip form too, made here and now: for one whose best forms are not made. */
export function withQuickGzip(quick: Rendered): Rendered {
  return quick.gzip ? quick : { ...quick, gzip: quickGzip(quick.raw) };
}

/** The same render with its best compressed forms, made on libuv's thread pool (gzip and brotli side by side). */
export async function withBestForms(quick: Rendered): Promise<Rendered> {
  if (!quick.quick) return quick;
  return { ...quick, ...(await bestFormsOffLoop(quick.raw)), quick: false };
}

async function bestFormsOffLoop(raw: Buffer): Promise<{ gzip: Buffer; br: Buffer }> {
  const [gzipped, br] = await Promise.all([gzipInPool(raw, gzipOptions(raw)), brotliInPool(raw, brotliOptions(raw))]);
  return { gzip: gzipped, br };
}

/**
 * The same render with `notice` (HTML) where its layout allows one: its own bytes, ETag and
 * headers, so a cache holding the current page never takes it for this one. A render without
 * a place for a notice (JSON, feeds, badges) is served as it is.
 */
export function withNotice(page: Rendered, notice: string): Rendered {
  if (page.noticeAt === undefined) return page;
  const at = page.noticeAt;
  const raw = Buffer.concat([page.raw.subarray(0, at), Buffer.from(notice, 'utf8'), page.raw.subarray(at)]);
  // In its quick forms, made here: it is made while a reader waits, during an outage, and
  // brotli 11 on a small page would hold the loop for up to 17 ms. It is served only until the
  // database answers again.
  const variant = rendered({ status: page.status, contentType: page.contentType, body: raw, lastModified: page.lastModified }, { raw }, quickForms(raw), page.generation, page.renderedAt);
  return { ...variant, lastModifiedIsContent: page.lastModifiedIsContent };
}
