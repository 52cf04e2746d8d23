import { describe, expect } from 'vitest';
import { createComponent } from '../../../src/modules/components/index.js';
import {
  addUpdate,
  createIncident,
  listCurrentIncidents,
  listCurrentUpdates,
  listPublishedUpdates,
  publishIncident,
  resolveIncident,
} from '../../../src/modules/incidents/index.js';
import { recentWindowStart } from '../../../src/surfaces/web/status-page-model.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The status page reads its incidents' updates beside the incidents, by the same condition
 * rather than by their ids: the same updates, in the same order, as reading them by the ids
 * listed, with the message of each incident's latest only (the one the page shows).
 */
const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;

test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
});

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(clock.now().getTime() - days * DAY);

describe('the updates of the status page’s incidents', () => {
  test('are the published updates of the incidents it lists, newest first, with only each incident’s latest message', async () => {
    const as = (at: Date) => actingAs(t.app, owner.actor, at);
    const api = await createComponent(as(daysAgo(90)), { name: 'API' });
    const web = await createComponent(as(daysAgo(90)), { name: 'Web' });
    const open = (at: Date, title: string, draft = false) =>
      createIncident(as(at), { title, severity: 'P3', status: 'investigating', message: `${title} begins.`, componentStatuses: { [api.id]: 'partial_outage' }, draft });

    // Unresolved, started long ago: listed, with three updates, two in one millisecond (their insertion order decides).
    const ongoing = await open(daysAgo(40), 'Ongoing');
    await addUpdate(as(daysAgo(1)), ongoing.id, { status: 'identified', message: 'Found it.', messages: { de: 'Gefunden.' }, componentStatuses: { [web.id]: 'degraded_performance' } });
    await addUpdate(as(daysAgo(1)), ongoing.id, { status: 'monitoring', message: 'Watching.', messages: { fr: 'On surveille.' } });
    // Resolved within the window: listed, its resolution the latest.
    const recent = await open(daysAgo(3), 'Recent');
    await resolveIncident(as(daysAgo(2)), recent.id, { message: 'Fixed.', summary: 'A bad deploy.' });
    // Started before the window, resolved inside it: listed.
    const long = await open(daysAgo(30), 'Long');
    await resolveIncident(as(daysAgo(5)), long.id, { message: 'Over.', summary: 'A long one.' });
    // Resolved before the window: not listed.
    const old = await open(daysAgo(60), 'Old');
    await resolveIncident(as(daysAgo(50)), old.id, { message: 'Old news.', summary: 'Gone.' });
    // A draft: not public, its update not published; then one published with a first update.
    await open(daysAgo(1), 'Draft', true);
    const published = await open(daysAgo(1), 'Published later', true);
    await publishIncident(as(daysAgo(0.5)), published.id, { message: 'Now public.' });

    const since = recentWindowStart(clock.now());
    const incidents = await listCurrentIncidents(t.app.db, since);
    expect(incidents.map((i) => i.title).sort()).toEqual(['Long', 'Ongoing', 'Published later', 'Recent']);
    const full = await listPublishedUpdates(t.app.db, incidents.map((i) => i.id));
    const listed = await listCurrentUpdates(t.app.db, since);

    expect(listed.map((u) => u.id)).toEqual(full.map((u) => u.id));
    const seen = new Set<string>();
    for (const [i, u] of listed.entries()) {
      const row = full[i]!;
      const latest = !seen.has(u.incidentId);
      seen.add(u.incidentId);
      const { body, bodyHtml, translations, ...facts } = u;
      expect(facts).toEqual({
        id: row.id,
        incidentId: row.incidentId,
        status: row.status,
        kind: row.kind,
        summary: row.summary,
        componentStatuses: row.componentStatuses,
        publishedAt: row.publishedAt,
        createdAt: row.createdAt,
      });
      expect({ body, bodyHtml, translations }).toEqual(latest ? { body: row.body, bodyHtml: row.bodyHtml, translations: row.translations } : { body: null, bodyHtml: null, translations: null });
    }
    // The latest of the ongoing incident is the second of the two posted in one millisecond, with its translation.
    const latestOngoing = listed.find((u) => u.incidentId === ongoing.id)!;
    expect(latestOngoing).toMatchObject({ status: 'monitoring', body: 'Watching.', translations: { fr: { markdown: 'On surveille.' } } });
    expect(listed.filter((u) => u.incidentId === ongoing.id)).toHaveLength(3);
  });
});
