import { describe, expect } from 'vitest';
import { createComponent, updateComponent } from '../../../src/modules/components/components.service.js';
import { addUpdate, createIncident } from '../../../src/modules/incidents/index.js';
import { recentWindowStart } from '../../../src/surfaces/web/status-page-model.js';
import { KeptStatusPageRows, readStatusPageRows, type StatusPageReading } from '../../../src/surfaces/web/status-page-rows.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { compareThroughPublicWrites } from '../../helpers/public-writes.js';

/**
 * The status page keeps its incidents and maintenance between renders and reads them again
 * only when their number in `public_versions` moved. Whatever is written between two renders,
 * by the services or behind their back, what it hands the page is what reading afresh gives;
 * and a write that touched only the components reads no incident and no maintenance.
 */
const clock = new TestClock('2026-12-07T10:00:00Z');
let t: TestApp;
let owner: TestUser;

test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
});

const settled = async (reading: StatusPageReading) => {
  const [components, incidentsPart, maintenances] = await Promise.all([reading.components, reading.incidents, reading.maintenances]);
  return { components, incidents: incidentsPart, maintenances };
};
const since = () => recentWindowStart(clock.now());

describe('the status page’s kept rows', () => {
  test('hand the page what a fresh read gives, after any writes', async () => {
    const kept = new KeptStatusPageRows();
    const compare = async () => {
      expect(await settled(kept.read(t.app.db, since()))).toEqual(await settled(readStatusPageRows(t.app.db, since())));
    };
    await compareThroughPublicWrites(t.app, owner.actor, clock, compare);
  }, 120_000);

  test('reads the incidents again only when their number moved, and shares a read between renders side by side', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const c = await createComponent(ctx, { name: 'Search' });
    await createIncident(ctx, { title: 'Down', severity: 'P1', status: 'investigating', message: 'Looking.' });
    const kept = new KeptStatusPageRows();
    await settled(kept.read(t.app.db, since()));
    const read = () => ({ ...kept.counts });

    // A component's status: neither the incidents nor the maintenance are read again (the page
    // names the maintenance's components from its own read of them).
    let before = read();
    await updateComponent(ctx, c.id, { status: 'major_outage' });
    const afterStatus = await settled(kept.read(t.app.db, since()));
    expect(afterStatus.components[0].find((row) => row.id === c.id)?.status).toBe('major_outage');
    expect(read()).toEqual({ read: before.read, kept: before.kept + 2 });

    // Nothing written: nothing but the numbers and the components read.
    before = read();
    await settled(kept.read(t.app.db, since()));
    expect(read()).toEqual({ read: before.read, kept: before.kept + 2 });

    // An incident: read again; two renders at once share the read.
    before = read();
    const [incident] = (await settled(readStatusPageRows(t.app.db, since()))).incidents[0];
    await addUpdate(ctx, incident!.id, { status: 'identified', message: 'Found it.' });
    const [en, de] = await Promise.all([settled(kept.read(t.app.db, since())), settled(kept.read(t.app.db, since()))]);
    expect(en.incidents[1][0]?.body).toBe('Found it.');
    expect(de.incidents).toBe(en.incidents);
    expect(read()).toEqual({ read: before.read + 1, kept: before.kept + 3 });
  });
});
