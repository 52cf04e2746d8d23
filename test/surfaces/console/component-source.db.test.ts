import { and, eq, like } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog, componentSources } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { signedInVisitor } from '../../helpers/console-session.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The "follow a third-party status page" form on a component's page: the admin API's verbs
 * (same audit rows, same address checks, owner only), a mistake re-rendered with the text kept.
 */
const resolver = async (host: string) => {
  if (host === 'status.vendor.test') return [{ address: '93.184.216.34', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};
test.override('appOptions', { resolver, config: { loginRateLimit: 100, loginRateWindowSeconds: 3600 } });

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
test.beforeAll(({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
});

const sourceOf = async (id: string) => (await t.app.db.select().from(componentSources).where(eq(componentSources.componentId, id)))[0];
const sourceAudits = (id: string) => t.app.db.select().from(auditLog).where(and(eq(auditLog.targetId, id), like(auditLog.action, 'component.source%')));

describe("a component's third-party status page", () => {
  test('an owner follows a page, sees how its polls go, and stops following it', async () => {
    const component = await makeComponent(t.app, owner.actor, { name: 'Card network' });
    const visitor = await signedInVisitor(t.app, owner);
    const page = await visitor.get(`/admin/components/${component.id}/edit`);
    expect(page.body).toContain('Follow a third-party status page');
    expect(page.body).not.toContain('Stop following');

    const res = await visitor.post(`/admin/components/${component.id}/source`, { sourceUrl: 'https://status.vendor.test', vendorComponentId: ' abc123 ', openDraftOnDegrade: 'on' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/components/${component.id}/edit#source`);
    expect(await sourceOf(component.id)).toMatchObject({ url: 'https://status.vendor.test/api/v2/summary.json', vendorComponentId: 'abc123', openDraftOnDegrade: true, linkedBy: owner.actor.id });
    expect((await sourceAudits(component.id)).map((a) => [a.action, a.actorId])).toEqual([['component.source_set', owner.actor.id]]);

    // As a failing page leaves it.
    await t.app.db
      .update(componentSources)
      .set({ lastPolledAt: new Date('2026-11-24T10:00:00Z'), failures: 3, lastError: 'The page answered HTML, not JSON (is this the summary.json address?)', lastVendorStatus: 'partial_outage', vendorName: 'Vendor: API' })
      .where(eq(componentSources.componentId, component.id));
    const shown = await visitor.get(`/admin/components/${component.id}/edit`);
    expect(shown.body).toContain('https://status.vendor.test/api/v2/summary.json');
    expect(shown.body).toContain('Partial outage — Vendor: API');
    expect(shown.body).toContain('<time datetime="2026-11-24T10:00:00.000Z"');
    expect(shown.body).toContain('The page answered HTML, not JSON (is this the summary.json address?) (3 failures in a row');
    expect(shown.body).toMatch(/id="openDraftOnDegrade" name="openDraftOnDegrade" value="on" checked/);

    expect((await visitor.post(`/admin/components/${component.id}/source/delete`)).statusCode).toBe(303);
    expect(await sourceOf(component.id)).toBeUndefined();
    expect((await sourceAudits(component.id)).map((a) => a.action).sort()).toEqual(['component.source_delete', 'component.source_set']);
  });

  test('a refused address re-renders the form with the text kept and writes nothing', async () => {
    const component = await makeComponent(t.app, owner.actor);
    const visitor = await signedInVisitor(t.app, owner);
    await visitor.get(`/admin/components/${component.id}/edit`);
    for (const [sourceUrl, message] of [
      ['http://169.254.169.254/latest', 'The status page URL resolves to a loopback, private or link-local address (169.254.169.254)'],
      ['', 'sourceUrl-error'],
      ['status.vendor.test', 'The status page URL is not a URL'],
    ] as const) {
      const res = await visitor.post(`/admin/components/${component.id}/source`, { sourceUrl, vendorComponentId: 'kept-id' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toContain('value="kept-id"');
      expect(res.body).toContain('aria-invalid="true" aria-describedby="sourceUrl-error"');
    }
    expect(await sourceOf(component.id)).toBeUndefined();
  });

  test("is the owner's: a responder gets 403, and a post without its CSRF token is refused", async () => {
    const component = await makeComponent(t.app, owner.actor);
    const responderVisitor = await signedInVisitor(t.app, responder);
    expect((await responderVisitor.post(`/admin/components/${component.id}/source`, { sourceUrl: 'https://status.vendor.test' })).statusCode).toBe(403);
    expect((await responderVisitor.post(`/admin/components/${component.id}/source/delete`)).statusCode).toBe(403);
    const visitor = await signedInVisitor(t.app, owner);
    expect((await visitor.post(`/admin/components/${component.id}/source`, { _csrf: null, sourceUrl: 'https://status.vendor.test' })).statusCode).toBe(403);
    expect(await sourceOf(component.id)).toBeUndefined();
    expect(await sourceAudits(component.id)).toEqual([]);
  });
});
