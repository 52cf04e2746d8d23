import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BROTLI_MAX_QUALITY_BYTES, compress, compressesInPlace, compressOffLoop, IN_PLACE_MAX_BYTES, STALE_NOTICE_MARKER, withNotice } from '../../../src/surfaces/render-cache/rendered.js';

const HTML = 'text/html; charset=utf-8';
/** A page of `bytes` or so, with words outside ASCII before its notice's place. */
const page = (bytes: number) => `<html lang="de"><p>Störung – “Anmeldung”</p>\n${STALE_NOTICE_MARKER}\n${'<li>Betriebsbereit · 99,95 %</li>'.repeat(Math.ceil(bytes / 34))}</html>`;

describe('a render’s bytes', () => {
  it('compresses where it is only what is cheap: bodies at brotli’s fast quality up to IN_PLACE_MAX_BYTES', () => {
    expect(compressesInPlace(BROTLI_MAX_QUALITY_BYTES)).toBe(false);
    expect(compressesInPlace(BROTLI_MAX_QUALITY_BYTES + 1)).toBe(true);
    expect(compressesInPlace(IN_PLACE_MAX_BYTES)).toBe(true);
    expect(compressesInPlace(IN_PLACE_MAX_BYTES + 1)).toBe(false);
  });

  it.each([
    ['small, off the loop', 2_000],
    ['mid-sized, in place', 90_000],
    ['large, off the loop', 400_000],
  ])('are the same whether compressed in place or off the loop (%s), with the notice’s place in bytes', async (_, size) => {
    const body = page(size);
    const offLoop = await compressOffLoop({ contentType: HTML, body }, 3, 1000);
    const here = compress({ contentType: HTML, body }, 3, 1000);
    expect(offLoop.raw.equals(here.raw)).toBe(true);
    expect(offLoop.br.equals(here.br)).toBe(true);
    expect(offLoop.gzip.equals(here.gzip)).toBe(true);
    expect(offLoop.etag).toBe(here.etag);
    const expected = body.replace(`${STALE_NOTICE_MARKER}\n`, '');
    expect(offLoop.raw.toString('utf8')).toBe(expected);
    expect(brotliDecompressSync(offLoop.br).toString('utf8')).toBe(expected);
    expect(gunzipSync(offLoop.gzip).toString('utf8')).toBe(expected);
    // The notice goes where the marker was, after the multi-byte characters before it.
    expect(withNotice(offLoop, '<p>alt</p>\n').raw.toString('utf8')).toBe(body.replace(STALE_NOTICE_MARKER, '<p>alt</p>'));
  });
});
