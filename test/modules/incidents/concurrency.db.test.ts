import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { testDatabaseKind } from '../../helpers/db.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * Races that need two transactions at once (PostgreSQL; PGlite runs one at a time): resolving
 * incidents that share a component must leave it as the incidents still open say.
 */
describe.skipIf(testDatabaseKind !== 'postgres')('concurrent resolutions', () => {
  let t: TestApp;
  let owner: TestUser;
  let responder: TestUser;

  test.beforeAll(({ testApp, owner: o, responder: r }) => {
    t = testApp;
    owner = o;
    responder = r;
  });

  const api = () => request(t.app.server);
  const open = async (componentId: string, status: string) => {
    const res = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'X', severity: 'P3', status: 'investigating', message: 'm', componentStatuses: { [componentId]: status } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const resolve = (id: string) =>
    api().post(`/api/admin/incidents/${id}/resolve`).set(responder.auth).send({ message: 'Fixed.', summary: 'Fixed.' });

  it('two incidents holding one component, resolved at the same time, leave it operational', async () => {
    const stuck: string[] = [];
    for (let trial = 0; trial < 10; trial += 1) {
      const c = await makeComponent(t.app, owner.actor);
      const a = await open(c.id, 'major_outage');
      const b = await open(c.id, 'degraded_performance');
      const [ra, rb] = await Promise.all([resolve(a), resolve(b)]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
      const open_ = await api().get('/api/admin/incidents?state=open').set(owner.auth);
      expect(open_.body.filter((i: { id: string }) => i.id === a || i.id === b)).toEqual([]);
      const list = await api().get('/api/admin/components').set(owner.auth);
      const status = list.body.find((x: { id: string }) => x.id === c.id).status;
      if (status !== 'operational') stuck.push(`trial ${trial}: ${status}`);
    }
    // No open incident holds the component any more; anything but operational is a lost write.
    expect(stuck).toEqual([]);
  });
  it('an incident opened while another holding the same component resolves keeps its status on it', async () => {
    const stuck: string[] = [];
    for (let trial = 0; trial < 10; trial += 1) {
      const c = await makeComponent(t.app, owner.actor);
      const a = await open(c.id, 'degraded_performance');
      const [ra, rb] = await Promise.all([
        resolve(a),
        api()
          .post('/api/admin/incidents')
          .set(responder.auth)
          .send({ title: 'B', severity: 'P3', status: 'investigating', message: 'm', componentStatuses: { [c.id]: 'major_outage' } }),
      ]);
      expect([ra.status, rb.status]).toEqual([200, 201]);
      const list = await api().get('/api/admin/components').set(owner.auth);
      const status = list.body.find((x: { id: string }) => x.id === c.id).status;
      // B is open and says major_outage; the page must not say operational.
      if (status !== 'major_outage') stuck.push(`trial ${trial}: ${status}`);
    }
    expect(stuck).toEqual([]);
  });
});
