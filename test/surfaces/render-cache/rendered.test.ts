import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  compress,
  encode,
  QUICK_BROTLI_QUALITY,
  QUICK_GZIP_LEVEL,
  QUICK_MAX_BYTES,
  STALE_NOTICE_MARKER,
  withBestForms,
  withNotice,
  withQuickGzip,
  fragmentMarker,
} from '../../../src/surfaces/render-cache/rendered.js';

const HTML = 'text/html; charset=utf-8';
/** A page of `bytes` or so, with words outside ASCII before its notice's place. */
const page = (bytes: number) => `<html lang="de"><p>Störung – “Anmeldung”</p>\n${STALE_NOTICE_MARKER}\n${'<li>Betriebsbereit · 99,95 %</li>'.repeat(Math.ceil(bytes / 34))}</html>`;

describe('a render’s bytes', () => {
  const decoded = (r: { raw: Buffer; br: Buffer; gzip: Buffer | null }) => [r.raw.toString('utf8'), brotliDecompressSync(r.br).toString('utf8'), gunzipSync(r.gzip!).toString('utf8')];

  it.each([
    ['small', 2_000],
    ['mid-sized', 90_000],
    ['large', 400_000],
  ])('are sent first in a quick brotli form, then in the best ones, the same content with the notice’s place in bytes (%s)', async (_, size) => {
    const body = page(size);
    const first = await encode({ contentType: HTML, body }, 3, 1000);
    expect(first.quick).toBe(true);
    const expected = body.replace(`${STALE_NOTICE_MARKER}\n`, '');
    // No gzip form yet: the reader waiting for the render waits for brotli alone.
    expect(first.gzip).toBeNull();
    const withGzip = withQuickGzip(first);
    expect(decoded(withGzip)).toEqual([expected, expected, expected]);
    expect(first.br.equals(brotliCompressSync(first.raw, { params: { [constants.BROTLI_PARAM_QUALITY]: QUICK_BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: first.raw.length } }))).toBe(true);
    expect(withGzip.gzip!.equals(gzipSync(first.raw, { level: QUICK_GZIP_LEVEL }))).toBe(true);
    expect({ ...withGzip, gzip: null }).toEqual(first);
    expect(withQuickGzip(withGzip)).toBe(withGzip);

    // The best forms, made off the loop, are those made in place, of the same render.
    const best = await withBestForms(first);
    const here = compress({ contentType: HTML, body }, 3, 1000);
    expect(best.quick).toBe(false);
    expect(best.raw).toBe(first.raw);
    expect(best.br.equals(here.br)).toBe(true);
    expect(best.gzip!.equals(here.gzip!)).toBe(true);
    expect({ etag: best.etag, noticeAt: best.noticeAt, generation: best.generation, renderedAt: best.renderedAt }).toEqual({
      etag: here.etag,
      noticeAt: here.noticeAt,
      generation: 3,
      renderedAt: 1000,
    });
    expect(best.br.length).toBeLessThanOrEqual(first.br.length);
    expect(await withBestForms(best)).toBe(best);
    // The notice goes where the marker was, after the multi-byte characters before it.
    expect(withNotice(first, '<p>alt</p>\n').raw.toString('utf8')).toBe(body.replace(STALE_NOTICE_MARKER, '<p>alt</p>'));
  });

  it('compresses a body over QUICK_MAX_BYTES once, in its best forms', async () => {
    const body = page(QUICK_MAX_BYTES + 10_000);
    const only = await encode({ contentType: HTML, body }, 0, 0);
    const here = compress({ contentType: HTML, body }, 0, 0);
    expect(only.quick).toBe(false);
    expect(only.br.equals(here.br)).toBe(true);
    expect(only.gzip!.equals(here.gzip!)).toBe(true);
  });

  it('paste the fragments a body names, in bytes, before the notice’s place is found', async () => {
    const fragments = [Buffer.from('<p>Störung · 1</p>', 'utf8'), Buffer.from('<p>日本語</p>', 'utf8')];
    const body = `<html lang="de"><p>“a”</p>${fragmentMarker(1)}<hr>${fragmentMarker(0)}\n${STALE_NOTICE_MARKER}\n<p>end</p>${fragmentMarker(1)}</html>`;
    const whole = body.replace(fragmentMarker(1), '<p>日本語</p>').replace(fragmentMarker(0), '<p>Störung · 1</p>').replace(fragmentMarker(1), '<p>日本語</p>');
    const pasted = await encode({ contentType: HTML, body, fragments }, 0, 0);
    const plain = await encode({ contentType: HTML, body: whole }, 0, 0);
    expect(pasted.raw.equals(plain.raw)).toBe(true);
    expect(pasted.noticeAt).toBe(plain.noticeAt);
    expect(pasted.etag).toBe(plain.etag);
    expect(withNotice(pasted, '<p>alt</p>\n').raw.toString('utf8')).toBe(whole.replace(STALE_NOTICE_MARKER, '<p>alt</p>'));
    await expect(encode({ contentType: HTML, body: fragmentMarker(2), fragments }, 0, 0)).rejects.toThrow(/fragment/);
  });
});
