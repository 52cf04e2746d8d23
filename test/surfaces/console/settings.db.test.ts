import { desc } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { signedInVisitor } from '../../helpers/console-session.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

let t: TestApp;
let owner: TestUser;
let responder: TestUser;

test.override('appOptions', { config: { loginRateLimit: 100, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
});

const FIELDS = { pageName: '', timeZone: '', defaultLanguage: '', accentColour: '', supportUrl: '', footerLinks: '', customCss: '', logoUrl: '' };
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><script>alert(1)</script><circle cx="4" cy="4" r="4" fill="#0a5cc2"/></svg>';

describe('/admin/settings', () => {
  test('is the owner’s: a responder gets 403 and changes nothing', async () => {
    const visitor = await signedInVisitor(t.app, responder);
    await visitor.get('/admin');
    expect((await visitor.get('/admin/settings')).statusCode).toBe(403);
    expect((await visitor.post('/admin/settings', { ...FIELDS, pageName: 'Sneaky' })).statusCode).toBe(403);
    expect((await t.app.inject('/')).body).not.toContain('Sneaky');
  });

  test('saves through the API’s verb: the public page shows it at once and the audit log records it', async () => {
    const visitor = await signedInVisitor(t.app, owner);
    const form = await visitor.get('/admin/settings');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Default: Example Status');
    const res = await visitor.post('/admin/settings', { ...FIELDS, pageName: 'Console Status', timeZone: 'Europe/Berlin', accentColour: '#6f42c1', footerLinks: 'Home | https://example.test/\nDocs | /history' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    expect(res.headers.location).toBe('/admin/settings?done=saved');
    const page = (await t.app.inject('/')).body;
    expect(page).toContain('<title>Console Status</title>');
    expect(page).toContain('<a href="/history">Docs</a>');
    const [entry] = await t.app.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ action: 'settings.update', actorId: owner.actor.id });
    // The form shows what is stored.
    const again = await visitor.get('/admin/settings?done=saved');
    expect(again.body).toContain('Settings saved.');
    expect(again.body).toContain('value="Console Status"');
    expect(again.body).toContain('Home | https://example.test/\nDocs | /history');
  });

  test('re-renders the form with the message beside the field, keeping what was typed', async () => {
    const visitor = await signedInVisitor(t.app, owner);
    await visitor.get('/admin/settings');
    const colour = await visitor.post('/admin/settings', { ...FIELDS, pageName: 'Kept as typed', accentColour: 'purple' });
    expect(colour.statusCode).toBe(400);
    expect(colour.body).toContain('The accent colour is written #rrggbb, like #6f42c1.');
    expect(colour.body).toContain('value="Kept as typed"');
    const links = await visitor.post('/admin/settings', { ...FIELDS, footerLinks: 'just a label' });
    expect(links.statusCode).toBe(400);
    expect(links.body).toContain('Label | URL');
    const zone = await visitor.post('/admin/settings', { ...FIELDS, timeZone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('Unknown time zone Mars/Olympus');
    expect((await t.app.inject('/')).body).toContain('<title>Console Status</title>');
  });

  test('uploads a logo from the form (multipart), sanitised', async () => {
    const visitor = await signedInVisitor(t.app, owner);
    await visitor.get('/admin/settings');
    const boundary = '----heliograph-settings';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: image/svg+xml` : ''}\r\n\r\n${value}\r\n`;
    const fields = Object.entries({ ...FIELDS, pageName: 'Console Status' }).map(([name, value]) => part(name, value)).join('');
    const res = await t.app.inject({
      method: 'POST',
      url: '/admin/settings',
      cookies: Object.fromEntries(visitor.cookies),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${part('_csrf', visitor.csrf)}${fields}${part('logo', SVG, 'logo.svg')}--${boundary}--\r\n`,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const logo = /<img class="brand-logo" src="([^"]+)"/.exec((await t.app.inject('/')).body)![1]!;
    const image = await t.app.inject(logo);
    expect(image.body).toContain('<circle');
    expect(image.body).not.toContain('script');
  });
});
