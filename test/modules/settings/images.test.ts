import { describe, expect, it } from 'vitest';
import { checkImage, MAX_IMAGE_BYTES } from '../../../src/modules/settings/images.js';

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64');
const svg = (body: string) => checkImage('logo', 'image/svg+xml', b64(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${body}</svg>`)).bytes.toString('utf8');

describe('an uploaded SVG', () => {
  it('keeps its drawing, its camel-case names and local references', () => {
    const out = svg('<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/><text x="1">A &amp; B</text>');
    expect(out).toContain('viewBox="0 0 10 10"');
    expect(out).toContain('<linearGradient id="g">');
    expect(out).toContain('fill="url(#g)"');
    expect(out).toContain('<use href="#g" />');
    expect(out).toContain('A &amp; B');
  });

  it.each([
    ['script', '<script>alert(1)</script>', /script|alert/],
    ['an event handler', '<rect width="1" height="1" onclick="alert(1)"/>', /onclick/],
    ['foreignObject', '<foreignObject><div>html</div></foreignObject>', /foreignObject|html/],
    ['a style element', '<style>@import url(https://evil.example/x.css)</style>', /style|evil/],
    ['a link to script', '<a href="javascript:alert(1)"><rect width="1" height="1"/></a>', /javascript|<a/],
    ['an outside reference', '<use xlink:href="https://evil.example/a.svg#x"/><image href="https://evil.example/p.png"/>', /evil/],
    ['an outside paint', '<path d="M0 0" fill="url(https://evil.example/#x)"/>', /evil/],
    ['an animation that rewrites a link', '<animate attributeName="href" to="javascript:alert(1)"/>', /animate|javascript/],
  ])('loses %s', (_what, body, gone) => {
    expect(svg(body)).not.toMatch(gone);
  });

  it('is refused when it is not an SVG at all', () => {
    expect(() => checkImage('favicon', 'image/svg+xml', b64('<html><body>hi</body></html>'))).toThrow(/not an SVG/);
  });
});

describe('an uploaded PNG', () => {
  it('must start with the PNG signature', () => {
    expect(checkImage('logo', 'image/png', b64(Buffer.from('89504e470d0a1a0a00', 'hex'))).contentType).toBe('image/png');
    expect(() => checkImage('logo', 'image/png', b64('GIF89a'))).toThrow(/not a PNG/);
  });

  it('is refused above 256 KiB, and named by the hash of its bytes', () => {
    const big = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(MAX_IMAGE_BYTES)]);
    expect(() => checkImage('logo', 'image/png', b64(big))).toThrow(/larger than 256 KiB/);
    const small = b64(Buffer.from('89504e470d0a1a0a01', 'hex'));
    expect(checkImage('logo', 'image/png', small).hash).toMatch(/^[0-9a-f]{16}$/);
  });
});
