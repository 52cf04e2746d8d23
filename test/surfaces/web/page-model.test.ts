import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ComponentStatus } from '../../../src/domain/vocabulary.js';
import { buildHistoryPage, historyRange, MONTHS_PER_PAGE } from '../../../src/surfaces/web/history-model.js';
import { incidentModel } from '../../../src/surfaces/web/incident-model.js';
import type { PageContext } from '../../../src/surfaces/web/route-kit.js';
import { buildStatusPage, RECENT_DAYS } from '../../../src/surfaces/web/status-page-model.js';
import type { IncidentRow, IncidentUpdateRow } from '../../../src/modules/incidents/public.js';
import { translator } from '../../../src/i18n/translator.js';
import { incidentRow } from '../../helpers/rows.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const ctx: PageContext = { pageName: 'Example Status', timeZone: 'UTC', now: NOW, i18n: translator('en') };
const at = (iso: string) => new Date(iso);
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000);

/** A P2 "API errors" under investigation since 30 minutes ago, unless `overrides` say otherwise. */
function incident(overrides: Partial<IncidentRow> = {}): IncidentRow {
  const startedAt = overrides.startedAt ?? minutesAgo(30);
  return incidentRow(randomUUID(), startedAt, { title: 'API errors', severity: 'P2', ...overrides });
}

let seq = 0;

function update(of: IncidentRow, overrides: Partial<IncidentUpdateRow> = {}): IncidentUpdateRow {
  const publishedAt = overrides.publishedAt ?? of.startedAt;
  seq += 1;
  return {
    id: randomUUID(),
    seq,
    incidentId: of.id,
    status: 'investigating',
    body: 'We are looking into it.',
    bodyHtml: null,
    translations: {},
    componentStatuses: {},
    notify: true,
    kind: 'update',
    summary: null,
    authorId: null,
    createdAt: publishedAt ?? of.startedAt,
    publishedAt,
    ...overrides,
  };
}

/** A resolved incident that started at `startedAt` and lasted `minutes`. */
function resolved(startedAt: string, minutes = 45, overrides: Partial<IncidentRow> = {}) {
  const start = at(startedAt);
  return incident({ startedAt: start, status: 'resolved', resolvedAt: new Date(start.getTime() + minutes * 60_000), ...overrides });
}

function component(status: ComponentStatus = 'operational', overrides: Partial<{ id: string; name: string; groupId: string | null }> = {}) {
  return { id: randomUUID(), name: `Component ${status}`, description: '', status, groupId: null, ...overrides };
}

const page = (input: Partial<Parameters<typeof buildStatusPage>[0]> = {}, context = ctx) =>
  buildStatusPage({ components: [], groups: [], incidents: [], updates: [], ...input }, context);

describe('buildStatusPage: the overall status line', () => {
  it('is "All Systems Operational" with nothing wrong, even with no components at all', () => {
    expect(page().overall).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(page({ components: [component(), component()] }).overall.description).toBe('All Systems Operational');
  });

  it.each([
    ['under_maintenance', 'maintenance', 'Service Under Maintenance'],
    ['degraded_performance', 'minor', 'Minor Service Outage'],
    ['partial_outage', 'major', 'Partial System Outage'],
    ['major_outage', 'critical', 'Major System Outage'],
  ] as const)('follows the worst component: %s → %s', (status, indicator, description) => {
    const model = page({ components: [component('operational'), component(status), component('operational')] });
    expect(model.overall).toEqual({ indicator, description });
  });

  it.each([
    ['P0', 'Major System Outage'],
    ['P1', 'Partial System Outage'],
    ['P2', 'Minor Service Outage'],
    ['P3', 'All Systems Operational'],
  ] as const)('turns with an active %s incident even before any component does', (severity, description) => {
    const i = incident({ severity });
    expect(page({ components: [component()], incidents: [i], updates: [update(i)] }).overall.description).toBe(description);
  });

  it('uses the impact override over the severity', () => {
    const i = incident({ severity: 'P3', impactOverride: 'critical' });
    expect(page({ incidents: [i] }).overall.description).toBe('Major System Outage');
  });

  it('takes the worse of components and incidents', () => {
    const i = incident({ severity: 'P2' });
    expect(page({ components: [component('major_outage')], incidents: [i] }).overall.indicator).toBe('critical');
    const j = incident({ severity: 'P0' });
    expect(page({ components: [component('degraded_performance')], incidents: [j] }).overall.indicator).toBe('critical');
  });

  it('ignores resolved incidents', () => {
    const done = resolved('2026-11-24T08:00:00Z', 30, { severity: 'P0' });
    expect(page({ components: [component()], incidents: [done] }).overall.description).toBe('All Systems Operational');
  });
});

describe('buildStatusPage: components', () => {
  it('lists components by group, in the order given, each with its label', () => {
    const api = { id: randomUUID(), name: 'API' };
    const web = { id: randomUUID(), name: 'Web' };
    const rest = component('operational', { name: 'REST', groupId: api.id });
    const grpc = component('partial_outage', { name: 'gRPC', groupId: api.id });
    const site = component('degraded_performance', { name: 'Site', groupId: web.id });
    const model = page({ groups: [web, api], components: [rest, site, grpc] });
    expect(model.groups.map((g) => g.name)).toEqual(['Web', 'API']);
    const apiGroup = model.groups[1]!;
    expect(apiGroup.components.map((c) => [c.name, c.status, c.statusLabel])).toEqual([
      ['REST', 'operational', 'Operational'],
      ['gRPC', 'partial_outage', 'Partial outage'],
    ]);
    expect(model.ungrouped).toEqual([]);
  });

  it('gives a group the worst status of its members', () => {
    const g = { id: randomUUID(), name: 'Storage' };
    const model = page({
      groups: [g],
      components: [
        component('under_maintenance', { groupId: g.id }),
        component('major_outage', { groupId: g.id }),
        component('degraded_performance', { groupId: g.id }),
      ],
    });
    expect(model.groups[0]).toMatchObject({ status: 'major_outage', statusLabel: 'Major outage' });
  });

  it('leaves out a group with no components', () => {
    const empty = { id: randomUUID(), name: 'Empty' };
    expect(page({ groups: [empty], components: [component()] }).groups).toEqual([]);
  });

  it('lists components without a group, or with an unknown group, as ungrouped', () => {
    const loose = component('operational', { name: 'Loose' });
    const orphan = component('degraded_performance', { name: 'Orphan', groupId: randomUUID() });
    const model = page({ components: [loose, orphan] });
    expect(model.ungrouped.map((c) => [c.name, c.statusLabel])).toEqual([
      ['Loose', 'Operational'],
      ['Orphan', 'Degraded performance'],
    ]);
    expect(model.groups).toEqual([]);
  });
});

describe('buildStatusPage: incidents', () => {
  it('shows active incidents with their latest update and when it was posted, rendering no other update', () => {
    const i = incident({ title: 'Slow checkout', startedAt: minutesAgo(90) });
    const first = update(i, { body: 'Investigating.', publishedAt: minutesAgo(90) });
    const latest = update(i, { status: 'identified', body: 'Found a **bad** deploy.', publishedAt: minutesAgo(5) });
    const model = page({ incidents: [i], updates: [latest, first] });
    expect(model.activeIncidents).toHaveLength(1);
    const active = model.activeIncidents[0]!;
    expect(active).toMatchObject({ title: 'Slow checkout', url: `/incidents/${i.id}`, resolved: false, impactLabel: 'Minor impact' });
    expect(active.latest).toMatchObject({
      id: latest.id,
      statusLabel: 'Identified',
      bodyHtml: '<p>Found a <strong>bad</strong> deploy.</p>',
      publishedAt: { iso: minutesAgo(5).toISOString(), text: 'Nov 24, 2026, 09:55 UTC' },
    });
    // The page shows only the latest update: the others are not rendered at all.
    expect(active).not.toHaveProperty('updates');
    expect(active.duration).toBe('1 h 30 min');
  });

  it('keeps each incident’s updates to itself', () => {
    const a = incident({ title: 'A' });
    const b = incident({ title: 'B' });
    const ua = update(a, { body: 'about A' });
    const ub = update(b, { body: 'about B' });
    const model = page({ incidents: [a, b], updates: [ub, ua] });
    expect(model.activeIncidents.map((m) => [m.title, m.latest?.id])).toEqual([
      ['A', ua.id],
      ['B', ub.id],
    ]);
  });

  it('names the components an incident touched', () => {
    const db = component('partial_outage', { name: 'Database' });
    const api = component('degraded_performance', { name: 'API' });
    const i = incident();
    const model = page({
      components: [db, api],
      incidents: [i],
      updates: [update(i, { componentStatuses: { [api.id]: 'degraded_performance' }, publishedAt: minutesAgo(1) }), update(i, { componentStatuses: { [db.id]: 'partial_outage' } })],
    });
    expect(model.activeIncidents[0]!.affected.sort()).toEqual(['API', 'Database']);
  });

  it('names them in the order the page lists the components, whatever order they were stored in', () => {
    const listed = ['Web', 'API', 'Database', 'Search'].map((name) => component('major_outage', { name }));
    const i = incident();
    const statuses = Object.fromEntries([...listed].reverse().map((c) => [c.id, 'major_outage' as const]));
    const model = page({ components: listed, incidents: [i], updates: [update(i, { componentStatuses: statuses })] });
    expect(model.activeIncidents[0]!.affected).toEqual(['Web', 'API', 'Database', 'Search']);
  });

  it('puts resolved incidents under their UTC start day, not among the active ones', () => {
    const late = resolved('2026-11-21T23:30:00Z', 60, { title: 'Late one' }); // 18:30 in New York, still the 21st there
    const early = resolved('2026-11-22T00:15:00Z', 10, { title: 'Early one' }); // 19:15 on the 21st in New York
    const today = resolved('2026-11-24T08:00:00Z', 30, { title: 'This morning' });
    const open = incident({ title: 'Still open' });
    const model = page({ incidents: [open, today, early, late] }, { ...ctx, timeZone: 'America/New_York' });
    expect(model.activeIncidents.map((m) => m.title)).toEqual(['Still open']);
    const byDay = Object.fromEntries(model.days.map((d) => [d.date, d.incidents.map((m) => m.title)]));
    expect(byDay['2026-11-24']).toEqual(['This morning']);
    expect(byDay['2026-11-23']).toEqual([]);
    expect(byDay['2026-11-22']).toEqual(['Early one']);
    expect(byDay['2026-11-21']).toEqual(['Late one']);
    expect(model.days.flatMap((d) => d.incidents).map((m) => m.title)).not.toContain('Still open');
  });

  it('lists 14 days, today first, with readable labels', () => {
    const model = page();
    expect(RECENT_DAYS).toBe(14);
    expect(model.days).toHaveLength(14);
    expect(model.days[0]).toMatchObject({ date: '2026-11-24', label: 'Nov 24, 2026', incidents: [] });
    expect(model.days[13]).toMatchObject({ date: '2026-11-11', label: 'Nov 11, 2026' });
    expect(new Set(model.days.map((d) => d.date)).size).toBe(14);
  });

  it('starts "today" at UTC midnight, whatever the display zone', () => {
    const justAfterMidnight = new Date('2026-11-24T00:10:00Z');
    const model = page({}, { ...ctx, now: justAfterMidnight, timeZone: 'America/Los_Angeles' });
    expect(model.days[0]!.date).toBe('2026-11-24');
  });

  it('crosses month and year boundaries', () => {
    const model = page({}, { ...ctx, now: new Date('2026-01-05T12:00:00Z') });
    expect(model.days.map((d) => d.date).slice(4, 7)).toEqual(['2026-01-01', '2025-12-31', '2025-12-30']);
    expect(model.days[13]!.date).toBe('2025-12-23');
  });

  it('leaves out incidents that started before the 14 days', () => {
    const old = resolved('2026-11-10T12:00:00Z', 30, { title: 'Too old' });
    expect(page({ incidents: [old] }).days.flatMap((d) => d.incidents)).toEqual([]);
  });

  // Regression: the query fetched such an incident, but no day matched its start, so it vanished.
  it('lists a long incident that started before the 14 days under the day it was resolved', () => {
    const long = incident({ startedAt: at('2026-11-04T08:00:00Z'), resolvedAt: at('2026-11-23T09:30:00Z'), status: 'resolved' });
    const model = buildStatusPage({ components: [], groups: [], incidents: [long], updates: [] }, ctx);
    expect(model.days.find((d) => d.date === '2026-11-23')!.incidents.map((i) => i.id)).toEqual([long.id]);
    expect(model.days.flatMap((d) => d.incidents)).toHaveLength(1);
  });

  it('carries the resolution summary and the resolved time', () => {
    const i = resolved('2026-11-23T10:00:00Z', 125);
    const fix = update(i, { status: 'resolved', kind: 'resolution', summary: 'A bad deploy, rolled back.', publishedAt: i.resolvedAt });
    const model = incidentModel(i, [fix, update(i)], new Map(), ctx);
    expect(model).toMatchObject({
      resolved: true,
      statusLabel: 'Resolved',
      resolutionSummary: 'A bad deploy, rolled back.',
      duration: '2 h 5 min',
      resolvedAt: { iso: '2026-11-23T12:05:00.000Z', text: 'Nov 23, 2026, 12:05 UTC' },
    });
    expect(model.updates[0]).toMatchObject({ isResolution: true, summary: 'A bad deploy, rolled back.' });
  });

  // The status page reads only each incident's latest message: the others count for the
  // components they touched and the resolution's summary alone.
  it('needs no message but the latest’s: the others still name the components and carry the summary', () => {
    const db = component('partial_outage', { name: 'Database' });
    const i = resolved('2026-11-23T10:00:00Z', 60);
    const withoutMessage = (u: IncidentUpdateRow) => ({ ...u, body: null, bodyHtml: null, translations: null });
    const first = withoutMessage(update(i, { componentStatuses: { [db.id]: 'partial_outage' }, publishedAt: i.startedAt }));
    const fix = withoutMessage(update(i, { status: 'resolved', kind: 'resolution', summary: 'A full disk.', publishedAt: minutesAgo(60 * 23) }));
    const note = update(i, { status: 'resolved', body: 'A **postscript**.', publishedAt: minutesAgo(60 * 22) });
    const [card] = page({ components: [db], incidents: [i], updates: [note, fix, first] }).days.flatMap((d) => d.incidents);
    expect(card).toMatchObject({ affected: ['Database'], resolutionSummary: 'A full disk.', latest: { id: note.id, bodyHtml: '<p>A <strong>postscript</strong>.</p>' } });
    // A latest update read without its message is a reading mistake, not an empty update.
    expect(() => page({ components: [db], incidents: [i], updates: [fix, first] })).toThrow(/without its message/);
  });

  it('renders update bodies sanitised', () => {
    const i = incident();
    const model = incidentModel(i, [update(i, { body: '[x](javascript:alert(1)) <img src=x onerror=alert(1)>' })], new Map(), ctx);
    expect(model.latest!.bodyHtml).not.toMatch(/javascript:|<img|onerror=/);
  });

  it('gives the generation time in the display zone', () => {
    expect(page({}, { ...ctx, timeZone: 'America/New_York' }).generatedAt).toEqual({
      iso: '2026-11-24T10:00:00.000Z',
      text: 'Nov 24, 2026, 05:00 EST',
    });
  });
});

describe('historyRange', () => {
  it('page 1 is the current month and the two before it', () => {
    expect(MONTHS_PER_PAGE).toBe(3);
    expect(historyRange(1, NOW)).toEqual({ from: at('2026-09-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') });
  });

  it('each further page goes three months back, with no gap and no overlap', () => {
    expect(historyRange(2, NOW)).toEqual({ from: at('2026-06-01T00:00:00Z'), to: at('2026-09-01T00:00:00Z') });
    expect(historyRange(3, NOW)).toEqual({ from: at('2026-03-01T00:00:00Z'), to: at('2026-06-01T00:00:00Z') });
  });

  it('crosses years', () => {
    const january = at('2026-01-15T12:00:00Z');
    expect(historyRange(1, january)).toEqual({ from: at('2025-11-01T00:00:00Z'), to: at('2026-02-01T00:00:00Z') });
    expect(historyRange(2, january)).toEqual({ from: at('2025-08-01T00:00:00Z'), to: at('2025-11-01T00:00:00Z') });
  });

  it('uses UTC months: the last hour of a month in UTC is still that month', () => {
    expect(historyRange(1, at('2026-11-30T23:30:00Z')).to).toEqual(at('2026-12-01T00:00:00Z'));
    expect(historyRange(1, at('2026-12-01T00:30:00Z')).to).toEqual(at('2027-01-01T00:00:00Z'));
  });
});

describe('buildHistoryPage', () => {
  const history = (input: Partial<Parameters<typeof buildHistoryPage>[0]> = {}) =>
    buildHistoryPage({ page: 1, incidents: [], updates: [], componentNames: new Map(), earliest: null, ...input }, ctx);

  it('lists three months, newest first, each with its incidents', () => {
    const nov = resolved('2026-11-02T10:00:00Z', 20, { title: 'November' });
    const octLast = resolved('2026-10-31T23:59:00Z', 5, { title: 'Last minute of October' });
    const sep = resolved('2026-09-01T00:00:00Z', 5, { title: 'First minute of September' });
    const model = history({ incidents: [nov, octLast, sep], earliest: sep.startedAt });
    expect(model.months.map((m) => [m.label, m.incidents.map((i) => i.title)])).toEqual([
      ['November 2026', ['November']],
      ['October 2026', ['Last minute of October']],
      ['September 2026', ['First minute of September']],
    ]);
  });

  it('shows empty months too', () => {
    expect(history().months.map((m) => [m.label, m.incidents.length])).toEqual([
      ['November 2026', 0],
      ['October 2026', 0],
      ['September 2026', 0],
    ]);
  });

  it('links to older pages only while there is something older', () => {
    expect(history({ earliest: null })).toMatchObject({ page: 1, newerPage: null, olderPage: null });
    expect(history({ earliest: at('2026-09-01T00:00:00Z') })).toMatchObject({ olderPage: null });
    expect(history({ earliest: at('2026-08-31T23:59:59Z') })).toMatchObject({ olderPage: 2 });
  });

  it('links back to the newer page from page 2', () => {
    const jul = resolved('2026-07-14T10:00:00Z', 20, { title: 'July' });
    const model = history({ page: 2, incidents: [jul], earliest: jul.startedAt });
    expect(model).toMatchObject({ page: 2, newerPage: 1, olderPage: null });
    expect(model.months.map((m) => [m.label, m.incidents.map((i) => i.title)])).toEqual([
      ['August 2026', []],
      ['July 2026', ['July']],
      ['June 2026', []],
    ]);
  });

  it('groups by the months of the display zone', () => {
    // 03:30 UTC on Nov 1 is still Oct 31 in New York.
    const late = resolved('2026-11-01T03:30:00Z', 5, { title: 'Halloween night' });
    const model = buildHistoryPage(
      { page: 1, incidents: [late], updates: [], componentNames: new Map(), earliest: late.startedAt },
      { ...ctx, timeZone: 'America/New_York' },
    );
    expect(model.months.map((m) => [m.label, m.incidents.map((i) => i.title)])).toEqual([
      ['November 2026', []],
      ['October 2026', ['Halloween night']],
      ['September 2026', []],
    ]);
  });

  it('attaches each incident’s updates and component names', () => {
    const c = randomUUID();
    const i = resolved('2026-10-10T10:00:00Z', 20);
    const u = update(i, { componentStatuses: { [c]: 'major_outage' } });
    const model = history({ incidents: [i], updates: [u], componentNames: new Map([[c, 'Payments']]) });
    expect(model.months[1]!.incidents[0]).toMatchObject({ affected: ['Payments'], latest: { id: u.id } });
  });
});
