import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, count, desc, eq, like } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { auditLog, componentSources } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/** No DNS in tests: names resolve where a case needs them. */
const HOSTS: Record<string, LookupAddress[]> = {
  'status.vendor.test': [{ address: '93.184.216.34', family: 4 }],
  'inside.vendor.test': [{ address: '10.0.0.7', family: 4 }],
  'mixed.vendor.test': [{ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 }],
  // Public when linked; the rebinding test points it inward afterwards.
  'rebind.vendor.test': [{ address: '93.184.216.34', family: 4 }],
};
const resolver = async (host: string) => {
  const found = HOSTS[host];
  if (!found) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

const clock = new TestClock('2026-11-24T10:00:00Z');
// This app may not call private addresses, as in production.
test.override('appOptions', { now: clock.now, resolver });

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const api = () => request(t.app.server);
const path = (id: string) => `/api/admin/components/${id}/source`;
const VALID = { url: 'https://status.vendor.test', vendorComponentId: 'k1q2w3e4r5t6', openDraftOnDegrade: true };

async function writes() {
  const [sources] = await t.app.db.select({ n: count() }).from(componentSources);
  const [audits] = await t.app.db.select({ n: count() }).from(auditLog).where(like(auditLog.action, 'component.source%'));
  return { sources: sources!.n, audits: audits!.n };
}

describe('who may link a component to another status page', () => {
  const calls: [string, (id: string) => request.Test][] = [
    ['GET', (id) => api().get(path(id))],
    ['PUT', (id) => api().put(path(id)).send(VALID)],
    ['DELETE', (id) => api().delete(path(id))],
  ];

  it.each(calls)('%s answers 401 without a token and writes nothing', async (_m, call) => {
    const { id } = await makeComponent(t.app, owner.actor);
    const before = await writes();
    expect((await call(id)).status).toBe(401);
    expect(await writes()).toEqual(before);
  });

  it.each(calls.slice(1))('%s is the owner\'s: a responder or a viewer gets 403 and writes nothing', async (_m, call) => {
    const { id } = await makeComponent(t.app, owner.actor);
    const before = await writes();
    for (const user of [responder, viewer]) {
      const res = await call(id).set(user.auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'HG_FORBIDDEN', message: `This needs the owner role; you are ${user.actor.role}` });
    }
    expect(await writes()).toEqual(before);
  });

  it('any signed-in user may read a source; none is a 404', async () => {
    const { id } = await makeComponent(t.app, owner.actor);
    expect((await api().get(path(id)).set(viewer.auth)).body).toEqual({ error: 'HG_NOT_FOUND', message: `Source of component ${id} not found` });
    await api().put(path(id)).set(owner.auth).send(VALID).expect(200);
    const res = await api().get(path(id)).set(viewer.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      componentId: id,
      url: 'https://status.vendor.test/api/v2/summary.json',
      vendorComponentId: 'k1q2w3e4r5t6',
      openDraftOnDegrade: true,
      vendorName: null,
      vendorStatus: null,
      lastPolledAt: null,
      nextPollAt: '2026-11-24T10:00:00.000Z',
      failures: 0,
      lastError: null,
      openIncidentId: null,
      createdAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:00:00.000Z',
    });
  });
});

describe('linking, changing and unlinking', () => {
  it('audits each step with what is followed, and a changed address starts its poll state over', async () => {
    const { id } = await makeComponent(t.app, owner.actor);
    await api().put(path(id)).set(owner.auth).send({ url: 'https://status.vendor.test/api/v2/summary.json' }).expect(200);
    // The poller's state as a failing page leaves it.
    await t.app.db.update(componentSources).set({ failures: 4, lastError: 'The page answered HTTP 500', etag: '"a"' }).where(eq(componentSources.componentId, id));

    clock.advanceSeconds(30);
    const same = await api().put(path(id)).set(owner.auth).send({ url: 'https://status.vendor.test/api/v2/summary.json', openDraftOnDegrade: true });
    expect(same.body).toMatchObject({ openDraftOnDegrade: true, failures: 4, lastError: 'The page answered HTTP 500', createdAt: '2026-11-24T10:00:00.000Z' });

    const moved = await api().put(path(id)).set(owner.auth).send({ url: 'https://mixed.vendor.test/x/', vendorComponentId: 'abc' });
    expect(moved.status).toBe(400);
    const other = await api().put(path(id)).set(owner.auth).send({ url: 'https://status.vendor.test/other/', vendorComponentId: ' abc ' });
    expect(other.body).toMatchObject({ url: 'https://status.vendor.test/other/api/v2/summary.json', vendorComponentId: 'abc', failures: 0, lastError: null, nextPollAt: clock.now().toISOString() });

    await api().delete(path(id)).set(owner.auth).expect(204);
    expect((await api().delete(path(id)).set(owner.auth)).status).toBe(404);
    const audits = await t.app.db.select().from(auditLog).where(and(eq(auditLog.targetId, id), like(auditLog.action, 'component.source%'))).orderBy(desc(auditLog.id));
    expect(audits.map((a) => [a.action, a.actorId, a.before, a.after])).toEqual([
      ['component.source_delete', owner.actor.id, { url: 'https://status.vendor.test/other/api/v2/summary.json', vendorComponentId: 'abc', openDraftOnDegrade: false }, null],
      [
        'component.source_set',
        owner.actor.id,
        { url: 'https://status.vendor.test/api/v2/summary.json', vendorComponentId: null, openDraftOnDegrade: true },
        { url: 'https://status.vendor.test/other/api/v2/summary.json', vendorComponentId: 'abc', openDraftOnDegrade: false },
      ],
      [
        'component.source_set',
        owner.actor.id,
        { url: 'https://status.vendor.test/api/v2/summary.json', vendorComponentId: null, openDraftOnDegrade: false },
        { url: 'https://status.vendor.test/api/v2/summary.json', vendorComponentId: null, openDraftOnDegrade: true },
      ],
      ['component.source_set', owner.actor.id, null, { url: 'https://status.vendor.test/api/v2/summary.json', vendorComponentId: null, openDraftOnDegrade: false }],
    ]);
  });

  it('is a 404 for a component that does not exist', async () => {
    const res = await api().put(path('7d1e6f0a-1b2c-4d3e-8f4a-5b6c7d8e9f00')).set(owner.auth).send(VALID);
    expect(res.status).toBe(404);
  });

  it('goes when its component goes', async () => {
    const { id } = await makeComponent(t.app, owner.actor);
    await api().put(path(id)).set(owner.auth).send(VALID).expect(200);
    await api().delete(`/api/admin/components/${id}`).set(owner.auth).expect(204);
    expect(await t.app.db.select().from(componentSources).where(eq(componentSources.componentId, id))).toEqual([]);
  });
});

describe('addresses are checked as webhook addresses are', () => {
  const refused: [string, string][] = [
    ['not a URL', 'status.vendor.test'],
    ['another scheme', 'ftp://status.vendor.test/'],
    ['credentials', 'https://user:pw@status.vendor.test/'],
    ['loopback', 'http://127.0.0.1:8080/'],
    ['localhost by name', 'http://localhost/'],
    ['a private address', 'http://10.1.2.3/'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/'],
    ['a name resolving inside', 'https://inside.vendor.test/'],
    ['a name resolving partly inside', 'https://mixed.vendor.test/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped IPv6 in hex', 'http://[::ffff:a00:1]/'],
    ['NAT64 of a private address', 'http://[64:ff9b::a00:1]/'],
    ['local-use NAT64', 'http://[64:ff9b:1::808:808]/'],
    ['6to4 of loopback', 'http://[2002:7f00:1::]/'],
    ['IPv4-compatible IPv6', 'http://[::127.0.0.1]/'],
  ];

  it.each(refused)('refuses %s with a 400 and writes nothing', async (_name, url) => {
    const { id } = await makeComponent(t.app, owner.actor);
    const before = await writes();
    const res = await api().put(path(id)).set(owner.auth).send({ url });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('HG_INVALID');
    expect(res.body.message).toMatch(/^The status page URL /);
    expect(await writes()).toEqual(before);
  });

  it('refuses bodies that are not a link', async () => {
    const { id } = await makeComponent(t.app, owner.actor);
    for (const body of [{}, { url: '' }, { url: 'https://status.vendor.test', extra: 1 }, { url: 'https://status.vendor.test', vendorComponentId: '   ' }, { url: 'https://status.vendor.test', openDraftOnDegrade: 'yes' }]) {
      expect((await api().put(path(id)).set(owner.auth).send(body)).status).toBe(400);
    }
  });
});

describe('every poll checks the address it connects to', () => {
  it('refuses a name that resolved to a public address when linked and points inward now (DNS rebinding)', async () => {
    let hits = 0;
    const inside = http.createServer((_req, res) => {
      hits += 1;
      res.end('{}');
    });
    await new Promise<void>((r) => inside.listen(0, '127.0.0.1', r));
    try {
      // Only this source is due: the others would be polled over the network.
      await t.app.db.delete(componentSources);
      const { id } = await makeComponent(t.app, owner.actor);
      const port = (inside.address() as AddressInfo).port;
      await api().put(path(id)).set(owner.auth).send({ url: `http://rebind.vendor.test:${port}` }).expect(200);
      HOSTS['rebind.vendor.test'] = [{ address: '127.0.0.1', family: 4 }];
      const [outcome] = await t.app.sourcePoller.tick();
      expect(outcome).toEqual({ componentId: id, result: 'failed', error: 'rebind.vendor.test resolves to no public address' });
      expect((await api().get(path(id)).set(owner.auth)).body.lastError).toBe('The page rebind.vendor.test resolves to no public address');
      expect(hits).toBe(0);
    } finally {
      await new Promise<void>((r) => inside.close(() => r()));
    }
  });
});
