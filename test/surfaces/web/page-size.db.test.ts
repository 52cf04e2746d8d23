import { brotliCompressSync, constants as zlib } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createComponent, createGroup } from '../../../src/modules/components/components.service.js';
import { createIncident, resolveIncident } from '../../../src/modules/incidents/index.js';
import type { ComponentStatus } from '../../../src/domain/vocabulary.js';
import type { ServiceContext } from '../../../src/modules/context.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The status page of a large installation: 50 showcased components in 5 groups, 300 resolved
 * incidents spread over the 90 days the bars cover (each moving a component to an outage and
 * back), and one open incident. The page must stay small enough to be read on a bad phone
 * connection in the middle of an outage, when most readers come.
 */
const DAY = 86_400_000;
const clock = new TestClock('2026-11-24T12:00:00Z');
const GROUPS = 5;
const PER_GROUP = 10;
const PAST_INCIDENTS = 300;

let t: TestApp;

test.override('appOptions', { now: clock.now, config: { displayTimeZone: 'Europe/Berlin' } });
test.beforeAll(async ({ testApp, owner }) => {
  t = testApp;
  await writeHistory((ms) => actingAs(t.app, owner.actor, new Date(ms)));
  t.app.publicCache.invalidate();
}, 300_000);

/** Everything written through the verbs, each at its own moment of the story. */
async function writeHistory(at: (ms: number) => ServiceContext) {
  const now = clock.now().getTime();
  const components: string[] = [];
  for (let g = 0; g < GROUPS; g += 1) {
    const group = await createGroup(at(now - 200 * DAY), { name: `Region ${g + 1}`, position: g });
    for (let c = 0; c < PER_GROUP; c += 1) {
      const component = await createComponent(at(now - 200 * DAY), {
        name: `Service ${g + 1}.${c + 1}`,
        description: `Handles traffic for region ${g + 1}`,
        groupId: group.id,
        position: g * PER_GROUP + c,
      });
      components.push(component.id);
    }
  }
  // One incident every 7 hours or so, back over the 90 days, on the components in turn.
  const spacing = Math.floor((89 * DAY) / PAST_INCIDENTS);
  for (let i = 0; i < PAST_INCIDENTS; i += 1) {
    const startedAt = now - DAY - i * spacing;
    const component = components[(i * 7) % components.length]!;
    const status: ComponentStatus = i % 3 === 0 ? 'major_outage' : 'partial_outage';
    const incident = await createIncident(at(startedAt), {
      title: `Errors on service ${i}`,
      severity: 'P3',
      status: 'investigating',
      message: `Some requests to **service ${i}** fail. We are looking into it.`,
      componentStatuses: { [component]: status },
    });
    await resolveIncident(at(startedAt + (10 + (i % 12) * 10) * 60_000), incident.id, {
      message: 'The fix is out; requests succeed again.',
      summary: 'A bad deploy failed some requests.',
    });
  }
  await createIncident(at(now - 25 * 60_000), {
    title: 'Elevated API error rates',
    severity: 'P2',
    status: 'investigating',
    message: 'We are seeing elevated error rates on the **API** and are investigating.',
    componentStatuses: { [components[0]!]: 'partial_outage' },
  });
}

const brotli = (body: Buffer, quality: number) =>
  brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }).length;

describe('the size of GET / on a large installation', () => {
  it('stays under 100 KB raw and 15 KB brotli, every row of bars and every listed day with issues included', async () => {
    const res = await request(t.app.server).get('/').set('accept-encoding', 'identity');
    expect(res.status).toBe(200);
    const body = Buffer.from(res.text);
    // What the page holds, so that it cannot get small by leaving things out.
    expect(res.text.match(/<svg class="bars"/g)).toHaveLength(GROUPS * PER_GROUP);
    expect(res.text.match(/<li>[A-Z][a-z]{2} \d+: (?:major|partial) outage for /g)!.length).toBeGreaterThanOrEqual(PAST_INCIDENTS - 10);
    expect(res.text).toContain('Elevated API error rates');
    expect(body.length).toBeLessThanOrEqual(100 * 1024);
    expect(brotli(body, 5)).toBeLessThanOrEqual(15 * 1024);
    expect(brotli(body, 11)).toBeLessThanOrEqual(15 * 1024);
    // And what the render cache sends: a new render's quick form to its first readers, then its best.
    t.app.publicCache.invalidate();
    for (const form of ['brq', 'br']) {
      if (form === 'br') await t.app.publicCache.settled();
      const sent = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br' } });
      expect(sent.headers.etag).toMatch(new RegExp(`-${form}"$`));
      expect(sent.rawPayload.length, form).toBeLessThanOrEqual(15 * 1024);
    }
  });
});
