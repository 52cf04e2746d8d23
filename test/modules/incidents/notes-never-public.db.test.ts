import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { alertmanagerPost } from '../../fixtures/alertmanager.js';

/**
 * Internal notes (the scribe's timeline, and what alert intake writes) must never reach a
 * public path. The paths are read from the app's own routes, so a public route added later is
 * checked too.
 */

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;

test.override('appOptions', { now: clock.now });
test.beforeAll(({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
});

const api = () => request(t.app.server);

/** Every GET path in `printRoutes`' tree, rebuilt from its indentation. */
function getPaths(tree: string): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)(?:├── |└── )(.+?) \(([^)]*)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const parent = depth === 0 ? '' : stack[depth - 1]!;
    const segment = match[2]!;
    const path = parent.endsWith('/') || segment.startsWith('/') || parent === '' ? `${parent}${segment}` : `${parent}/${segment}`;
    stack[depth] = path;
    stack.length = depth + 1;
    if (match[3]!.split(', ').includes('GET')) paths.push(path);
  }
  return paths;
}

const NOT_PUBLIC = [/^\/api\/admin\//, /^\/api\/ingest\//, /^\/docs/, /\*/];

describe('internal notes', () => {
  it('never appear on any public path, for a published incident or an alert draft', async () => {
    const c = await makeComponent(t.app, owner.actor, { name: 'Payments API' });
    const opened = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'Checkout failing', severity: 'P1', status: 'investigating', message: 'Investigating checkout errors.', componentStatuses: { [c.id]: 'major_outage' } });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const marker = `NOTE-MARKER-${Date.now().toString(36)}`;
    await api().post(`/api/admin/incidents/${id}/notes`).set(responder.auth).send({ text: `${marker} db01 disk full, ssh root@10.0.0.5` }).expect(201);

    // Alert intake writes its notes too: on a draft, then on the published incident.
    const tokenRes = await api().post('/api/admin/tokens').set(owner.auth).send({ name: 'am', scopes: ['ingest'] });
    const ingest = { authorization: `Bearer ${tokenRes.body.token}` };
    const alertBody = alertmanagerPost('firing', { groupKey: '{}:{privacy="check"}' });
    alertBody.alerts[0]!.annotations.description = `${marker}-ALERT internal detail`;
    const draft = await api().post('/api/ingest/alertmanager').set(ingest).send(alertBody);
    expect(draft.body.action).toBe('opened');
    await api().post(`/api/admin/incidents/${draft.body.incidentId}/publish`).set(responder.auth).send({ message: 'We are looking into payment errors.' }).expect(200);
    await api().post('/api/ingest/alertmanager').set(ingest).send(alertmanagerPost('resolved', { groupKey: '{}:{privacy="check"}' })).expect(200);
    const admin = await api().get(`/api/admin/incidents/${draft.body.incidentId}`).set(responder.auth);
    expect(admin.body.notes.map((n: { text: string }) => n.text).join('\n')).toContain(`${marker}-ALERT`);

    const paths = getPaths(t.app.printRoutes({ commonPrefix: false })).filter((p) => !NOT_PUBLIC.some((re) => re.test(p)));
    for (const required of ['/', '/incidents/:id', '/history', '/feed.rss']) expect(paths).toContain(required);
    const urls = paths.flatMap((p) =>
      p.includes(':id') ? [p.replace(':id', id), p.replace(':id', draft.body.incidentId)] : [p.replace(/:[A-Za-z]+/g, 'x')],
    );
    for (const url of [...urls, `/feed.rss?component=${c.id}`, '/history?page=1']) {
      const res = await api().get(url);
      expect(res.status, url).toBeLessThan(500);
      const body = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : JSON.stringify(res.body));
      expect(body, url).not.toContain(marker);
      expect(body, url).not.toContain('10.0.0.5');
    }
    // The public incident pages do show the incidents themselves: the check above looked at real pages.
    expect((await api().get(`/incidents/${id}`)).text).toContain('Investigating checkout errors.');
    expect((await api().get(`/incidents/${draft.body.incidentId}`)).text).toContain('We are looking into payment errors.');
  });
});
