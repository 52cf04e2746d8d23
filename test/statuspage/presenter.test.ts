import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { v2Components } from '../../src/statuspage/components.js';
import { recentIncidents, unresolvedIncidents, v2Incident } from '../../src/statuspage/incidents.js';
import { selectMaintenances, v2Maintenance } from '../../src/statuspage/maintenances.js';
import { pageIdFor, v2Status, type V2Data } from '../../src/statuspage/page.js';
import type { IncidentRow } from '../../src/db/rows.js';
import { incidentRow as rowAt } from '../helpers/rows.js';
import { V2Component, V2Incident, V2Maintenance, V2Status } from '../../src/statuspage/schemas.js';

const at = new Date('2026-11-01T08:30:00Z');
const ctx = { pageName: 'Example', publicUrl: 'https://status.example.com', timeZone: 'America/Los_Angeles', now: at };
const component = (id: string, over: object = {}) => ({
  id,
  name: `C ${id}`,
  description: '',
  groupId: null,
  position: 0,
  status: 'operational' as const,
  showcase: true,
  uptimeRevision: 1,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const maintenance = (id: string, status: 'scheduled' | 'in_progress' | 'verifying' | 'completed', hours: number) => ({
  id,
  title: `M ${id}`,
  body: 'Work.',
  bodyHtml: null,
  status,
  scheduledFor: new Date(at.getTime() + hours * 3_600_000),
  scheduledUntil: new Date(at.getTime() + (hours + 1) * 3_600_000),
  autoStart: true,
  autoComplete: true,
  startedAt: null,
  verifyingAt: null,
  completedAt: null,
  createdBy: null,
  createdAt: at,
  updatedAt: at,
});
const incidentRow = (id: string, over: Partial<IncidentRow> = {}) => rowAt(id, at, over);
const data = (over: Partial<V2Data> = {}): V2Data => ({
  components: [],
  groups: [],
  incidents: [],
  updates: [],
  statusChanges: [],
  maintenances: [],
  maintenanceUpdates: [],
  maintenanceComponents: new Map(),
  postmortemsPublished: new Set(),
  ...over,
});

describe('pageIdFor', () => {
  it('is 12 lowercase letters and digits, the same for the same URL, different for another', () => {
    expect(pageIdFor('https://status.example.com')).toMatch(/^[0-9a-z]{12}$/);
    expect(pageIdFor('https://status.example.com')).toBe(pageIdFor('https://status.example.com'));
    expect(pageIdFor('https://status.example.org')).not.toBe(pageIdFor('https://status.example.com'));
  });
});

describe('v2 presenters', () => {
  it('a group without members is left out; an empty description is null', () => {
    const rows = v2Components(
      data({
        components: [component('a', { groupId: 'g1' }), component('b')],
        groups: [
          { id: 'g1', name: 'G1', position: 0, createdAt: at, updatedAt: at },
          { id: 'g2', name: 'Empty', position: 1, createdAt: at, updatedAt: at },
        ],
      }),
      ctx,
    );
    expect(rows.map((r) => [r.id, r.group])).toEqual([['g1', true], ['a', false], ['b', false]]);
    expect(rows[1]!.description).toBeNull();
    // 08:30 UTC on the morning clocks fall back: 01:30 PST, a date in the zone.
    expect(rows[1]!.start_date).toBe('2026-11-01');
    for (const row of rows) expect(Value.Check(V2Component, row)).toBe(true);
  });

  it('a closed schema refuses a field it does not name', () => {
    const [row] = v2Components(data({ components: [component('a')] }), ctx);
    expect(Value.Check(V2Component, { ...row, severity: 'P1' })).toBe(false);
  });

  it('an incident shows its severity only as Statuspage impact', () => {
    const incident = incidentRow('i', { title: 'T', severity: 'P0' });
    const view = v2Incident(incident, data(), ctx);
    expect(view.impact).toBe('critical');
    expect(view.created_at).toBe('2026-11-01T01:30:00.000-07:00');
    expect(Value.Check(V2Incident, view)).toBe(true);

    // jsonb keeps an update's statuses in its own key order; clients list them as given.
    const listed = ['web', 'api', 'db'].map((id, position) => component(id, { position }));
    const update = {
      id: 'u',
      incidentId: 'i',
      status: 'investigating',
      body: 'Down.',
      notify: true,
      publishedAt: at,
      createdAt: at,
      componentStatuses: { db: 'major_outage', web: 'major_outage', api: 'partial_outage' },
    } as unknown as V2Data['updates'][number];
    const ordered = v2Incident(incident, data({ components: listed, updates: [update] }), ctx);
    expect(ordered.incident_updates[0]!.affected_components!.map((c) => c.code)).toEqual(['web', 'api', 'db']);
    expect(ordered.components.map((c) => c.id)).toEqual(['web', 'api', 'db']);
  });

  it('selects maintenances: upcoming soonest first, active under way, all newest window first', () => {
    const rows = [maintenance('late', 'scheduled', 48), maintenance('soon', 'scheduled', 2), maintenance('now', 'verifying', -1), maintenance('done', 'completed', -48)];
    const d = data({ maintenances: rows });
    expect(selectMaintenances(d, 'upcoming').map((m) => m.id)).toEqual(['soon', 'late']);
    expect(selectMaintenances(d, 'active').map((m) => m.id)).toEqual(['now']);
    expect(selectMaintenances(d, 'current').map((m) => m.id)).toEqual(['now', 'soon', 'late']);
    expect(selectMaintenances(d, 'all').map((m) => m.id)).toEqual(['late', 'soon', 'now', 'done']);
    expect(Value.Check(V2Maintenance, v2Maintenance(rows[0]!, d, ctx))).toBe(true);
  });
});

describe('incident selections', () => {
  const incident = (i: number, resolved: boolean) =>
    ({ id: `i${i}`, createdAt: new Date(at.getTime() + i * 60_000), resolvedAt: resolved ? at : null }) as unknown as V2Data['incidents'][number];
  const many = Array.from({ length: 60 }, (_, i) => incident(i, i % 3 !== 0));
  it('incidents.json: the 50 most recent, newest first', () => {
    const recent = recentIncidents(data({ incidents: many }));
    expect(recent).toHaveLength(50);
    expect(recent[0]!.id).toBe('i59');
    expect(recent[49]!.id).toBe('i10');
  });
  it('unresolved: every one, however many, newest first', () => {
    const open = unresolvedIncidents(data({ incidents: many }));
    expect(open).toHaveLength(20);
    expect(open[0]!.id).toBe('i57');
  });
});

describe('v2Status', () => {
  // Statuspage's pages send `maintenance` (its API reference lists four values, its pages five).
  it('says maintenance while maintenance is under way and nothing is worse', () => {
    const underWay = v2Status(data({ components: [component('a', { status: 'under_maintenance' }), component('b')] }));
    expect(underWay).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    expect(Value.Check(V2Status, underWay)).toBe(true);
    const outage = v2Status(data({ components: [component('a', { status: 'under_maintenance' }), component('b', { status: 'major_outage' })] }));
    expect(outage).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    const degraded = v2Status(data({ components: [component('a', { status: 'under_maintenance' }), component('b', { status: 'degraded_performance' })] }));
    expect(degraded.indicator).toBe('minor');
    // An open incident of minor impact is worse than maintenance, even on untouched components.
    const withIncident = v2Status(data({ components: [component('a', { status: 'under_maintenance' })], incidents: [incidentRow('i', { severity: 'P2' })] }));
    expect(withIncident.indicator).toBe('minor');
    // An incident of impact none leaves the maintenance showing.
    const quiet = v2Status(data({ components: [component('a', { status: 'under_maintenance' })], incidents: [incidentRow('i', { severity: 'P3' })] }));
    expect(quiet.indicator).toBe('maintenance');
    expect(v2Status(data({ components: [component('a')] }))).toEqual({ indicator: 'none', description: 'All Systems Operational' });
  });
});

describe('v2Incident status', () => {
  const resolved = incidentRow('i', { status: 'resolved', resolvedAt: at });
  it('is postmortem once a resolved incident’s postmortem is published, as Statuspage shows it', () => {
    const view = v2Incident(resolved, data({ incidents: [resolved], postmortemsPublished: new Set(['i']) }), ctx);
    expect(view.status).toBe('postmortem');
    expect(view.resolved_at).toBe('2026-11-01T01:30:00.000-07:00');
    expect(Value.Check(V2Incident, view)).toBe(true);
  });
  it('stays resolved without a published postmortem, and an open incident keeps its own status', () => {
    expect(v2Incident(resolved, data({ incidents: [resolved] }), ctx).status).toBe('resolved');
    const open = incidentRow('j', { status: 'monitoring' });
    expect(v2Incident(open, data({ incidents: [open], postmortemsPublished: new Set(['j']) }), ctx).status).toBe('monitoring');
  });
});
