import { describe, expect } from 'vitest';
import { createComponent, updateComponent } from '../../../src/modules/components/components.service.js';
import { addUpdate, createIncident } from '../../../src/modules/incidents/index.js';
import { KeptV2Data, loadV2Data } from '../../../src/surfaces/statuspage-v2/data.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { compareThroughPublicWrites } from '../../helpers/public-writes.js';

/**
 * The Statuspage API keeps its incidents and maintenance between renders, by their numbers in
 * `public_versions`. Whatever is written between two renders, by the services or behind their
 * back, what it hands the documents is what reading afresh gives; and a component's status
 * change reads no incident and no maintenance.
 */
const clock = new TestClock('2026-12-07T10:00:00Z');
let t: TestApp;
let owner: TestUser;

test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
});

describe('the Statuspage API’s kept data', () => {
  test('hands the documents what a fresh read gives, after any writes', async () => {
    const kept = new KeptV2Data();
    const compare = async () => expect(await kept.read(t.app.db)).toEqual(await loadV2Data(t.app.db));
    await compareThroughPublicWrites(t.app, owner.actor, clock, compare);
  }, 120_000);

  test('reads the incidents and the maintenance again only when their number moved, and shares a read between renders side by side', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const c = await createComponent(ctx, { name: 'Search' });
    const incident = await createIncident(ctx, { title: 'Down', severity: 'P1', status: 'investigating', message: 'Looking.' });
    const kept = new KeptV2Data();
    await kept.read(t.app.db);
    const read = () => ({ ...kept.counts });

    // A component's status of its own: neither part read again, the component's new status seen.
    let before = read();
    await updateComponent(ctx, c.id, { status: 'major_outage' });
    const afterStatus = await kept.read(t.app.db);
    expect(afterStatus.components.find((row) => row.id === c.id)?.status).toBe('major_outage');
    expect(read()).toEqual({ read: before.read, kept: before.kept + 2 });

    // An incident's update: its part read again, once for two renders at once.
    before = read();
    await addUpdate(ctx, incident.id, { status: 'identified', message: 'Found it.' });
    const [one, two] = await Promise.all([kept.read(t.app.db), kept.read(t.app.db)]);
    expect(one.updates[0]?.body).toBe('Found it.');
    expect(two.updates).toBe(one.updates);
    expect(read()).toEqual({ read: before.read + 1, kept: before.kept + 3 });
  });
});
