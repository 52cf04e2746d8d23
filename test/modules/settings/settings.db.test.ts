import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSettings } from '../../../src/modules/settings/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10" fill="#6f42c1"/></svg>';
const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64');

describe('page settings through the admin API', () => {
  let t: TestApp;
  let owner: TestUser;
  let responder: TestUser;

  const patch = (payload: object, user: TestUser | null = owner) =>
    t.app.inject({ method: 'PATCH', url: '/api/admin/settings', headers: user?.auth ?? {}, payload });

  beforeAll(async () => {
    t = await createTestApp({ config: { pageName: 'Env Name', displayTimeZone: 'America/New_York' } });
    owner = await makeUser(t.app, 'owner');
    responder = await makeUser(t.app, 'responder');
  });
  afterAll(() => t?.close());

  it('is for owners: 401 without a token, 403 for a responder', async () => {
    expect((await t.app.inject('/api/admin/settings')).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/admin/settings', headers: responder.auth })).statusCode).toBe(403);
    expect((await patch({ pageName: 'Nope' }, null)).statusCode).toBe(401);
    expect((await patch({ pageName: 'Nope' }, responder)).statusCode).toBe(403);
  });

  it('starts with nothing stored: the environment’s values apply', async () => {
    const res = await t.app.inject({ url: '/api/admin/settings', headers: owner.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ pageName: null, timeZone: null, footerLinks: [], logo: null, defaults: { pageName: 'Env Name', timeZone: 'America/New_York', defaultLanguage: 'en' } });
    expect((await t.app.inject('/')).body).toContain('<title>Env Name</title>');
  });

  it.each([
    ['a colour name', { accentColour: 'purple' }, /accentColour|pattern/],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, /Unknown time zone/],
    ['an unshipped language', { defaultLanguage: 'xx' }, /defaultLanguage|allowed/],
    ['a script link', { supportUrl: 'javascript:alert(1)' }, /support link/],
    ['a protocol-relative footer link', { footerLinks: [{ label: 'Evil', url: '//evil.example/' }] }, /Footer link "Evil"/],
    ['a logo elsewhere', { logo: { url: 'https://elsewhere.example/logo.svg' } }, /path of this page/],
    ['a GIF sent as PNG', { logo: { contentType: 'image/png', data: b64('GIF89a not a png') } }, /not a PNG/],
    ['HTML sent as SVG', { favicon: { contentType: 'image/svg+xml', data: b64('<html><body>hi</body></html>') } }, /not an SVG/],
    ['36 KB of CSS', { customCss: 'a{}'.repeat(12_000) }, /customCss|32 KiB|characters/],
    ['an unknown field', { pageName: 'x', unknown: true }, /additional/],
  ])('refuses %s with a 400 that says why, and changes nothing', async (_what, payload, message) => {
    const res = await patch(payload);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().message).toMatch(message);
    expect((await t.app.inject({ url: '/api/admin/settings', headers: owner.auth })).json().updatedAt).toBeNull();
  });

  it('applies a new name and zone to the page, the Statuspage API and the feeds at once, and audits the change', async () => {
    await t.app.inject('/');
    const res = await patch({ pageName: 'Acme Status', timeZone: 'Asia/Tokyo', defaultLanguage: 'de' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ pageName: 'Acme Status', timeZone: 'Asia/Tokyo', defaultLanguage: 'de' });
    expect(currentSettings(t.app)).toMatchObject({ pageName: 'Acme Status', timeZone: 'Asia/Tokyo', defaultLanguage: 'de' });

    expect((await t.app.inject('/')).body).toContain('<title>Acme Status</title>');
    expect((await t.app.inject('/api/v2/summary.json')).json().page).toMatchObject({ name: 'Acme Status', time_zone: 'Asia/Tokyo' });
    expect((await t.app.inject('/feed.atom')).body).toContain('Acme Status');

    const audit = await t.app.inject({ url: '/api/admin/audit?action=settings.update', headers: owner.auth });
    const [entry] = audit.json().items;
    expect(entry).toMatchObject({ action: 'settings.update', before: { pageName: null }, after: { pageName: 'Acme Status', timeZone: 'Asia/Tokyo' } });
  });

  it('speaks the default language the settings name, on every page and feed, and back to the environment’s with null', async () => {
    await patch({ defaultLanguage: 'de' });
    // The page that was English under the same key is rendered again in German, not served from before.
    const page = (await t.app.inject('/')).body;
    expect(page).toContain('<html lang="de"');
    expect(page).toContain('hreflang="x-default" href="/"');
    expect((await t.app.inject('/?lang=en')).body).toContain('<html lang="en"');
    expect((await t.app.inject('/feed.atom')).body).toContain('Störungsmeldungen');

    await patch({ defaultLanguage: null });
    expect((await t.app.inject('/')).body).toContain('<html lang="en"');
  });

  it('serves an uploaded SVG logo sanitised, from its own origin under its hash, cached for good', async () => {
    const res = await patch({ logo: { contentType: 'image/svg+xml', data: b64(SVG) }, favicon: { contentType: 'image/png', data: b64(PNG) } });
    expect(res.statusCode, res.body).toBe(200);
    const { logo, favicon } = res.json();
    expect(logo.url).toMatch(/^\/brand\/logo\.svg\?v=[0-9a-f]{16}$/);

    const page = (await t.app.inject('/')).body;
    expect(page).toContain(`<img class="brand-logo" src="${logo.url}" alt="">`);
    expect(page).toContain(`<link rel="icon" type="image/png" href="${favicon.url}">`);

    const image = await t.app.inject(logo.url);
    expect(image.headers['content-type']).toBe('image/svg+xml');
    expect(image.headers['cache-control']).toContain('immutable');
    expect(image.headers['content-security-policy']).toContain("default-src 'none'");
    expect(image.body).toContain('<rect');
    expect(image.body).not.toMatch(/script|onload/);
    expect((await t.app.inject(favicon.url)).rawPayload.subarray(0, 8)).toEqual(PNG.subarray(0, 8));
  });

  it('links the custom stylesheet after the page’s own, inside its cascade layer, with a readable accent', async () => {
    const res = await patch({ accentColour: '#FFCC00', customCss: '.brand{color:#6f42c1}', supportUrl: 'mailto:help@example.test', footerLinks: [{ label: 'Company', url: 'https://example.test/' }] });
    expect(res.statusCode, res.body).toBe(200);
    const page = (await t.app.inject('/')).body;
    const theme = /<link rel="stylesheet" href="(\/theme\.css\?v=[0-9a-f]+)">/.exec(page)![1]!;
    expect(page.indexOf('/style.css')).toBeLessThan(page.indexOf(theme));
    expect(page).toContain('<a href="mailto:help@example.test">Support</a>');
    expect(page).toContain('<a href="https://example.test/">Company</a>');

    const css = await t.app.inject(theme);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('immutable');
    const imported = /@import url\("(\/custom\.css\?v=[0-9a-f]+)"\) layer\(custom\);/.exec(css.body)![1]!;
    // Yellow does not read on white: the links get a darker shade of it, the dark theme yellow itself.
    expect(css.body).toMatch(/:root\{--accent:#ffcc00;--link:#(?!ffcc00)[0-9a-f]{6}\}/);
    expect(css.body).toContain('@media (prefers-color-scheme: dark){:root{--link:#ffcc00}}');
    expect((await t.app.inject(imported)).body).toBe('.brand{color:#6f42c1}');
  });

  it('keeps the page’s policy: styles, fonts and images from its own origin only, no script but its own', async () => {
    const csp = String((await t.app.inject('/')).headers['content-security-policy']);
    const directive = (name: string) => csp.split(';').find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('style-src')).toBe("style-src 'self'");
    expect(directive('img-src')).toBe("img-src 'self' data:");
    expect(directive('font-src')).toBe("font-src 'self' data:");
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('default-src')).toBe("default-src 'self'");
  });

  it('returns a field to its default with null', async () => {
    const res = await patch({ pageName: null, timeZone: null, logo: null, customCss: null, accentColour: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ pageName: null, logo: null, customCss: null });
    const page = (await t.app.inject('/')).body;
    expect(page).toContain('<title>Env Name</title>');
    expect(page).not.toContain('brand-logo');
    expect(page).not.toContain('/theme.css');
    expect((await t.app.inject('/custom.css')).statusCode).toBe(404);
  });

  it('accepts a logo at a URL of the page itself', async () => {
    const res = await patch({ logo: { url: 'https://status.example.test/favicon.svg' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().logo).toEqual({ url: '/favicon.svg', contentType: null });
    expect((await t.app.inject('/')).body).toContain('<img class="brand-logo" src="/favicon.svg" alt="">');
  });
});
