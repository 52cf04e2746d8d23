import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createComponent, updateComponent } from '../../../src/modules/components/components.service.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { actingAs } from '../../helpers/context.js';

/**
 * The 90-day bars on the status page, from status changes recorded through the service at
 * chosen times. The display zone is New York: its DST change on Nov 1 is inside the window.
 */
const clock = new TestClock('2026-11-24T12:00:00Z');
let t: TestApp;
let owner: TestUser;
let api: { id: string };

test.override('appOptions', { now: clock.now, config: { displayTimeZone: 'America/New_York' } });
test.beforeAll(async ({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
  api = await createComponent(actingAs(t.app, owner.actor, new Date('2026-11-01T00:00:00Z')), { name: 'Payments <API>' });
  await updateComponent(actingAs(t.app, owner.actor, new Date('2026-11-20T23:30:00Z')), api.id, { status: 'major_outage' });
  await updateComponent(actingAs(t.app, owner.actor, new Date('2026-11-21T00:12:00Z')), api.id, { status: 'operational' });
  await createComponent(actingAs(t.app, owner.actor, new Date('2026-10-01T00:00:00Z')), { name: 'Internal cron', showcase: false });
  t.app.publicCache.invalidate();
});

const page = async () => (await request(t.app.server).get('/')).text;
const barsOf = (html: string) => [...html.matchAll(/<ol class="bars"[^>]*>([\s\S]*?)<\/ol>/g)].map((m) => m[1]!);
const textsOf = (bars: string) => [...bars.matchAll(/<li class="u-([a-z_]+)"><span>([^<]*)<\/span><\/li>/g)].map((m) => ({ tone: m[1], text: m[2] }));

describe('uptime bars on GET /', () => {
  it('shows 90 bars with their text for each showcased component, none for the others', async () => {
    const html = await page();
    const lists = barsOf(html);
    expect(lists).toHaveLength(1);
    const bars = textsOf(lists[0]!);
    expect(bars).toHaveLength(90);
    expect(bars).toContainEqual({ tone: 'none', text: 'Oct 31: no data' });
    expect(bars).toContainEqual({ tone: 'major_outage', text: 'Nov 20: major outage for 30 min' });
    expect(bars).toContainEqual({ tone: 'major_outage', text: 'Nov 21: major outage for 12 min' });
    expect(bars.at(-1)).toEqual({ tone: 'operational', text: 'Nov 24: no downtime' });
    expect(html).toContain('aria-label="Payments &lt;API&gt;: status by UTC day');
    // 42 minutes down out of 23.5 days known.
    expect(html).toContain('99.87% uptime');
    expect(html).toContain('2 days with issues');
  });

  it('gives the DST change of the display zone neither a missing nor a doubled bar', async () => {
    const labels = textsOf(barsOf(await page())[0]!).map((b) => b.text!.split(':')[0]);
    expect(new Set(labels).size).toBe(90);
    expect(labels.slice(labels.indexOf('Oct 31'), labels.indexOf('Oct 31') + 3)).toEqual(['Oct 31', 'Nov 1', 'Nov 2']);
  });

  it('shows a status change at once: the write invalidates the render', async () => {
    await request(t.app.server).get('/');
    clock.set('2026-11-24T12:30:00Z');
    const res = await request(t.app.server)
      .patch(`/api/admin/components/${api.id}`)
      .set(owner.auth)
      .send({ status: 'partial_outage' });
    expect(res.status).toBe(200);
    clock.set('2026-11-24T13:00:00Z');
    expect(textsOf(barsOf(await page())[0]!).at(-1)).toEqual({ tone: 'partial_outage', text: 'Nov 24: partial outage for 30 min' });
  });
});
