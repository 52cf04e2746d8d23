import { count, desc, eq } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect } from 'vitest';
import { apiTokens, auditLog, subscribers, users, webhookSubscribers } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { ConsoleVisitor, signedInVisitor } from '../../helpers/console-session.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/** No DNS in tests: one public name for webhooks. */
const resolver = async (host: string) => {
  if (host === 'hooks.example.test') return [{ address: '93.184.216.34', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', { resolver, config: { loginRateLimit: 100, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const signedIn = (user: TestUser) => signedInVisitor(t.app, user);

const rows = async (table: typeof subscribers | typeof webhookSubscribers | typeof users | typeof apiTokens) => (await t.app.db.select({ n: count() }).from(table))[0]!.n;
const lastAudit = async () => (await t.app.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;
const SCREENS = ['/admin/subscribers', '/admin/webhooks', '/admin/users', '/admin/audit'];

describe('who sees the screens', () => {
  test('an owner has the four links; a responder or viewer has none and gets 403', async () => {
    const board = await (await signedIn(owner)).get('/admin');
    for (const [label, href] of [['Subscribers', '/admin/subscribers'], ['Webhooks', '/admin/webhooks'], ['Users and tokens', '/admin/users'], ['Audit log', '/admin/audit']]) {
      expect(board.body).toContain(`<a href="${href}">${label}</a>`);
    }
    for (const user of [responder, viewer]) {
      const visitor = await signedIn(user);
      const page = await visitor.get('/admin');
      expect(page.body).not.toContain('Users and tokens');
      expect(page.body).not.toContain('Audit log');
      for (const screen of SCREENS) expect((await visitor.get(screen)).statusCode, screen).toBe(403);
      expect((await visitor.get('/admin/subscribers/export')).statusCode).toBe(403);
    }
  });

  test('a responder posting the forms gets 403 and nothing is written', async () => {
    const visitor = await signedIn(responder);
    await visitor.get('/admin');
    const before = { users: await rows(users), subscribers: await rows(subscribers), webhooks: await rows(webhookSubscribers) };
    expect((await visitor.post('/admin/users', { email: 'sneaky@example.test', name: 'Sneaky', role: 'owner', password: '' })).statusCode).toBe(403);
    expect((await visitor.post(`/admin/users/${responder.actor.id}/role`, { role: 'owner' })).statusCode).toBe(403);
    expect((await visitor.post('/admin/users/tokens', { tokenName: 'mine', scopes: 'write' })).statusCode).toBe(403);
    expect((await visitor.post('/admin/subscribers/import', { list: 'a@example.test' })).statusCode).toBe(403);
    expect((await visitor.post('/admin/webhooks', { url: 'https://hooks.example.test/x' })).statusCode).toBe(403);
    expect({ users: await rows(users), subscribers: await rows(subscribers), webhooks: await rows(webhookSubscribers) }).toEqual(before);
    const [me] = await t.app.db.select().from(users).where(eq(users.id, responder.actor.id));
    expect(me!.role).toBe('responder');
  });

  test('a form posted without its CSRF token is a 403 and writes nothing', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/users');
    const before = { users: await rows(users), subscribers: await rows(subscribers), webhooks: await rows(webhookSubscribers) };
    expect((await visitor.post('/admin/users', { _csrf: null, email: 'forged@example.test', name: 'Forged', role: 'owner', password: '' })).statusCode).toBe(403);
    expect((await visitor.post('/admin/subscribers/import', { _csrf: null, list: 'forged@example.test' })).statusCode).toBe(403);
    expect((await visitor.post('/admin/webhooks', { _csrf: null, url: 'https://hooks.example.test/forged' })).statusCode).toBe(403);
    expect((await visitor.post('/admin/users/tokens', { _csrf: null, tokenName: 'forged', scopes: 'read' })).statusCode).toBe(403);
    expect({ users: await rows(users), subscribers: await rows(subscribers), webhooks: await rows(webhookSubscribers) }).toEqual(before);
  });
});

describe('subscribers', () => {
  test('imports a pasted list: bad lines reported by number, the rest waiting for confirmation', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/subscribers');
    const res = await visitor.post('/admin/subscribers/import', { list: 'ann@example.test\n\nnot an address\nbob@example.test\nANN@example.test\n' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2 imported, each sent a confirmation mail; 1 already subscribed or repeated.');
    expect(res.body).toMatch(/Line 3: <code>not an address<\/code>/);
    const imported = await t.app.db.select().from(subscribers).where(eq(subscribers.email, 'ann@example.test'));
    expect(imported[0]!.confirmedAt).toBeNull();
    expect(await lastAudit()).toMatchObject({ action: 'subscriber.import', actorId: owner.actor.id });
  });

  test('imports a CSV upload with an email column, confirmed when the owner says so', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/subscribers');
    const boundary = '----heliograph-test';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${value}\r\n`;
    const payload = `${part('_csrf', visitor.csrf)}${part('list', '')}${part('confirmed', 'on')}${part('file', 'name,email\r\nCarol,carol@example.test\r\n"Dan, Jr.",dan@example.test\r\n', 'list.csv')}--${boundary}--\r\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/admin/subscribers/import',
      cookies: Object.fromEntries(visitor.cookies),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.body).toContain('2 imported; 0 already subscribed or repeated.');
    const [dan] = await t.app.db.select().from(subscribers).where(eq(subscribers.email, 'dan@example.test'));
    expect(dan!.confirmedAt).not.toBeNull();
  });

  test('an empty list re-renders the form with the message beside the field', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/subscribers');
    const before = await rows(subscribers);
    const res = await visitor.post('/admin/subscribers/import', { list: '   \n' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="list-error">Paste addresses or choose a file');
    expect(await rows(subscribers)).toBe(before);
  });

  test('an unknown component id refuses the whole import, the text kept', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/subscribers');
    const before = await rows(subscribers);
    const list = 'email,component_ids\r\nerin@example.test,00000000-0000-4000-8000-000000000000\r\n';
    const res = await visitor.post('/admin/subscribers/import', { list });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Unknown component');
    expect(res.body).toContain('erin@example.test,00000000-0000-4000-8000-000000000000');
    expect(await rows(subscribers)).toBe(before);
  });

  test('searches by part of the address, a % taken literally', async () => {
    const visitor = await signedIn(owner);
    const found = await visitor.get('/admin/subscribers?search=BOB');
    expect(found.body).toContain('bob@example.test');
    expect(found.body).not.toContain('ann@example.test');
    expect((await visitor.get('/admin/subscribers?search=%25')).body).toContain('No subscriber matches.');
  });

  test('exports CSV for download, as the API does', async () => {
    const visitor = await signedIn(owner);
    const res = await visitor.get('/admin/subscribers/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="subscribers.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('email,status,component_ids,confirmed_at,created_at');
    expect(lines.find((l) => l.startsWith('ann@example.test,'))).toMatch(/^ann@example\.test,pending,,,\d{4}-/);
    const api = await request(t.app.server).get('/api/admin/subscribers/export').set(owner.auth);
    expect(res.body).toBe(api.text);
  });

  test('deletes after a confirming page, without JavaScript', async () => {
    const [bob] = await t.app.db.select().from(subscribers).where(eq(subscribers.email, 'bob@example.test'));
    const visitor = await signedIn(owner);
    const confirm = await visitor.get(`/admin/subscribers/${bob!.id}/delete`);
    expect(confirm.body).toContain('Delete bob@example.test?');
    expect(confirm.body).toContain(`action="/admin/subscribers/${bob!.id}/delete"`);
    expect((await visitor.post(`/admin/subscribers/${bob!.id}/delete`, { _csrf: null })).statusCode).toBe(403);
    expect(await t.app.db.select().from(subscribers).where(eq(subscribers.id, bob!.id))).toHaveLength(1);
    const res = await visitor.post(`/admin/subscribers/${bob!.id}/delete`);
    expect(res.statusCode).toBe(303);
    expect((await visitor.get(res.headers.location as string)).body).toContain('The subscriber was deleted.');
    expect(await t.app.db.select().from(subscribers).where(eq(subscribers.id, bob!.id))).toHaveLength(0);
    expect(await lastAudit()).toMatchObject({ action: 'subscriber.delete', targetId: bob!.id });
  });

  test('pages 50 at a time, keeping the search', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/subscribers');
    const list = Array.from({ length: 51 }, (_, i) => `paged-${String(i).padStart(2, '0')}@example.test`).join('\n');
    expect((await visitor.post('/admin/subscribers/import', { list })).body).toContain('51 imported');
    const first = await visitor.get('/admin/subscribers?search=paged-');
    expect(first.body.match(/class="card-title">paged-/g)).toHaveLength(50);
    expect(first.body).toContain('<a href="/admin/subscribers?search=paged-&amp;page=2">Next</a>');
    expect(first.body).not.toContain('>Previous</a>');
    const second = await visitor.get('/admin/subscribers?search=paged-&page=2');
    const emails = (body: string) => [...body.matchAll(/class="card-title">(paged-\d+@example\.test)</g)].map((m) => m[1]);
    expect(emails(second.body)).toHaveLength(1);
    // One order across pages: every address once.
    expect(new Set([...emails(first.body), ...emails(second.body)]).size).toBe(51);
    expect(second.body).toContain('<a href="/admin/subscribers?search=paged-&amp;page=1">Previous</a>');
  });
});

describe('webhooks', () => {
  test('adds one, showing its secret once; a bad URL is explained beside the field, the text kept', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/webhooks');
    const before = await rows(webhookSubscribers);
    const bad = await visitor.post('/admin/webhooks', { url: 'ftp://hooks.example.test/x', description: 'Kept' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<p class="field-error" id="url-error">The webhook URL [^<]+<\/p>/);
    expect(bad.body).toContain('value="ftp://hooks.example.test/x"');
    expect(bad.body).toContain('value="Kept"');
    expect(await rows(webhookSubscribers)).toBe(before);

    // Post/Redirect/Get: the post answers 303, the page it leads to shows the secret once.
    const res = await visitor.post('/admin/webhooks', { url: 'https://hooks.example.test/status', description: 'Ops bot' });
    expect(res.statusCode).toBe(303);
    const shown = await visitor.get(res.headers.location as string);
    expect(shown.statusCode).toBe(200);
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(shown.body)![1]!;
    const [row] = await t.app.db.select().from(webhookSubscribers).where(eq(webhookSubscribers.url, 'https://hooks.example.test/status'));
    expect(row!.secret).toBe(secret);
    expect(res.headers.location).not.toContain(secret);
    expect(res.body).not.toContain(secret);
    // A reload of that page (the only thing a reload can repeat) shows it no more, and adds nothing.
    const reloaded = await visitor.get(res.headers.location as string);
    expect(reloaded.body).not.toContain(secret);
    expect(reloaded.body).toContain('That secret was shown once and is not kept.');
    expect(await rows(webhookSubscribers)).toBe(before + 1);
    const list = await visitor.get('/admin/webhooks');
    expect(list.body).toContain('https://hooks.example.test/status');
    expect(list.body).toContain('Deliveries: 0 sent, 0 pending, 0 failing, 0 given up');
    expect(list.body).not.toContain(secret);

    expect((await visitor.get(`/admin/webhooks/${row!.id}/delete`)).body).toContain('Delete the webhook to https://hooks.example.test/status?');
    expect((await visitor.post(`/admin/webhooks/${row!.id}/delete`)).statusCode).toBe(303);
    expect(await rows(webhookSubscribers)).toBe(before);
  });
});

describe('users and tokens', () => {
  test('adds a user with a generated password shown once, which signs in', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/users');
    const res = await visitor.post('/admin/users', { email: 'new.responder@example.test', name: 'New Responder', role: 'responder', password: '' });
    expect(res.statusCode).toBe(303);
    const password = /<code class="secret">([^<]+)<\/code>/.exec((await visitor.get(res.headers.location as string)).body)![1]!;
    expect((await visitor.get('/admin/users')).body).not.toContain(password);
    expect((await visitor.get(res.headers.location as string)).body).not.toContain(password);
    const [created] = await t.app.db.select().from(users).where(eq(users.email, 'new.responder@example.test'));
    expect(created!.role).toBe('responder');
    expect(await lastAudit()).toMatchObject({ action: 'user.create', actorId: owner.actor.id, targetId: created!.id });
    expect((await new ConsoleVisitor(t.app).signIn('new.responder@example.test', password)).statusCode).toBe(303);
  });

  test('bad input re-renders with messages beside the fields, the text kept, nothing written', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/users');
    const before = await rows(users);
    const res = await visitor.post('/admin/users', { email: 'not-an-address', name: 'Kept Name', role: 'viewer', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="email-error">Email must be an address like name@example.com.</p>');
    expect(res.body).toContain('<p class="field-error" id="password-error">Password must be 12 to 200 characters');
    expect(res.body).toContain('value="Kept Name"');
    expect(res.body).toContain('value="not-an-address"');
    const taken = await visitor.post('/admin/users', { email: viewer.actor.email, name: 'Twin', role: 'viewer', password: '' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toMatch(/<p class="field-error" id="email-error">A user with email [^<]+ exists<\/p>/);
    expect(await rows(users)).toBe(before);
  });

  test('changes a role and removes a user; the last owner stays', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/users');
    const [created] = await t.app.db.select().from(users).where(eq(users.email, 'new.responder@example.test'));
    expect((await visitor.post(`/admin/users/${created!.id}/role`, { role: 'viewer' })).statusCode).toBe(303);
    expect((await t.app.db.select().from(users).where(eq(users.id, created!.id)))[0]!.role).toBe('viewer');
    expect(await lastAudit()).toMatchObject({ action: 'user.update', before: expect.objectContaining({ role: 'responder' }), after: expect.objectContaining({ role: 'viewer' }) });

    const lastOwner = await visitor.post(`/admin/users/${owner.actor.id}/role`, { role: 'viewer' });
    expect(lastOwner.statusCode).toBe(409);
    expect(lastOwner.body).toContain(`<p class="field-error" id="role-${owner.actor.id}-error">The last owner cannot be demoted</p>`);

    expect((await visitor.get(`/admin/users/${created!.id}/remove`)).body).toContain('Remove New Responder (new.responder@example.test)?');
    expect((await visitor.post(`/admin/users/${created!.id}/remove`)).statusCode).toBe(303);
    expect(await t.app.db.select().from(users).where(eq(users.id, created!.id))).toHaveLength(0);
  });

  test("a token's secret is on the page after its creation only; it works until revoked", async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/users');
    const none = await visitor.post('/admin/users/tokens', { tokenName: 'Kept token name' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<p class="field-error" id="scopes-error">Choose at least one scope.</p>');
    expect(none.body).toContain('value="Kept token name"');

    const tokensBefore = await rows(apiTokens);
    const res = await visitor.post('/admin/users/tokens', { tokenName: 'CI reader', scopes: 'read' });
    expect(res.statusCode).toBe(303);
    // The page is another session's to see: theirs shows nothing, and leaves it to its owner.
    const other = await signedIn(owner);
    expect((await other.get(res.headers.location as string)).body).not.toContain('<code class="secret">');
    const secret = /<code class="secret">(hg_[^<]+)<\/code>/.exec((await visitor.get(res.headers.location as string)).body)![1]!;
    expect(res.headers.location).not.toContain(secret);
    expect((await visitor.get(res.headers.location as string)).body).not.toContain(secret);
    expect(await rows(apiTokens)).toBe(tokensBefore + 1);
    const list = await visitor.get('/admin/users');
    expect(list.body).toContain('CI reader');
    expect(list.body).not.toContain(secret);
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await request(t.app.server).get('/api/admin/components').set(bearer)).status).toBe(200);

    const id = /\/admin\/users\/tokens\/([0-9a-f-]{36})\/revoke/.exec(list.body)![1]!;
    expect((await visitor.get(`/admin/users/tokens/${id}/revoke`)).body).toContain('Revoke the token &quot;CI reader&quot;');
    expect((await visitor.post(`/admin/users/tokens/${id}/revoke`)).statusCode).toBe(303);
    expect((await request(t.app.server).get('/api/admin/components').set(bearer)).status).toBe(401);
  });
});

describe('the audit log', () => {
  test('shows who changed what with before and after, filtered, with an Older link', async () => {
    for (let i = 0; i < 55; i++) await makeComponent(t.app, owner.actor, { name: `Audited ${i}` });
    const visitor = await signedIn(owner);
    const page = await visitor.get('/admin/audit?action=component.create');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>component.create</code>');
    expect(page.body).toContain(`${owner.actor.name} &lt;${owner.actor.email}&gt;`);
    expect(page.body).toContain('<strong>name</strong>: <ins>&quot;Audited 54&quot;</ins>');
    expect(page.body).toContain('<summary>Before and after</summary>');
    const older = /<a href="([^"]+)">Older<\/a>/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    expect(older).toMatch(/action=component.create&cursor=/);
    const next = await visitor.get(older);
    expect(next.body).toContain('&quot;Audited 4&quot;');
    expect(next.body).not.toContain('&quot;Audited 54&quot;');

    const byRole = await visitor.get(`/admin/audit?action=user.update&actor=${encodeURIComponent(owner.actor.email)}`);
    expect(byRole.body).toContain('<strong>role</strong>: <del>&quot;responder&quot;</del> → <ins>&quot;viewer&quot;</ins>');
  });

  test('a bad filter or cursor re-renders the form with the message, the text kept', async () => {
    const visitor = await signedIn(owner);
    const res = await visitor.get('/admin/audit?since=yesterday&actor=kept');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="since-error">Since must be a time with its zone, like 2026-12-07T10:00:00Z.</p>');
    expect(res.body).toContain('value="kept"');
    const cursor = await visitor.get('/admin/audit?cursor=garbage');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.body).toContain('The cursor is not one this API gave out');
  });
});
