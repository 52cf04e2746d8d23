import { describe, expect, it } from 'vitest';
import { v2Incident } from '../../src/statuspage/incidents.js';
import { pageIdFor, type V2Data } from '../../src/statuspage/page.js';
import { incidentRow } from '../helpers/rows.js';
import { v2Components } from '../../src/statuspage/components.js';
import { statuspageComponentEvent, statuspageIncidentEvent, withUnsubscribeLink } from '../../src/statuspage/webhooks.js';
import {
  AFFECTED_COMPONENT,
  COMPONENT,
  COMPONENT_EVENT_KEYS,
  componentEventMisfits,
  INCIDENT,
  INCIDENT_UPDATE,
  META,
  PAGE,
  misfits,
} from '../fixtures/statuspage-webhooks/shapes.js';

const at = (iso: string) => new Date(iso);
const ctx = { pageName: 'Example', publicUrl: 'https://status.example.com', timeZone: 'Europe/Berlin', now: at('2026-11-01T09:00:00Z') };
const component = (id: string, position: number) => ({
  id,
  name: `Component ${id}`,
  description: '',
  groupId: null,
  position,
  status: 'operational' as const,
  showcase: true,
  uptimeRevision: 1,
  createdAt: at('2026-10-01T00:00:00Z'),
  updatedAt: at('2026-10-01T00:00:00Z'),
});
const incident = incidentRow('i1', at('2026-11-01T08:00:00Z'), {
  title: 'API errors',
  status: 'identified',
  version: 2,
  createdAt: at('2026-11-01T08:02:00Z'),
  updatedAt: at('2026-11-01T08:20:00Z'),
});
const update = (id: string, status: string, minute: number, componentStatuses: Record<string, string>) =>
  ({
    id,
    incidentId: 'i1',
    status,
    kind: 'update',
    body: `Update ${id}`,
    notify: true,
    componentStatuses,
    createdAt: at(`2026-11-01T08:${minute}:00Z`),
    publishedAt: at(`2026-11-01T08:${minute}:00Z`),
  }) as unknown as V2Data['updates'][number];

const data: V2Data = {
  components: [component('api', 0), component('web', 1)],
  groups: [],
  incidents: [incident],
  // Newest first, as the loaders give them.
  updates: [update('u2', 'identified', 20, { api: 'partial_outage' }), update('u1', 'investigating', 10, { api: 'major_outage', web: 'degraded_performance' })],
  statusChanges: [{ incidentId: 'i1', componentId: 'api', fromStatus: 'operational', changedAt: at('2026-11-01T08:10:00Z') }],
  maintenances: [],
  maintenanceUpdates: [],
  maintenanceComponents: new Map(),
  postmortemsPublished: new Set(),
};
const page = { indicator: 'major' as const, description: 'Partial System Outage' };

describe('Statuspage incident event', () => {
  const event = statuspageIncidentEvent({ incident, data, ctx, page });

  it('has every field of Statuspage’s webhook, of the same types, at every level', () => {
    expect(Object.keys(event)).toEqual(['meta', 'page', 'incident']);
    const problems = [
      ...misfits(event.meta, META, 'meta'),
      ...misfits(event.page, PAGE, 'page'),
      ...misfits(event.incident, INCIDENT, 'incident'),
      ...event.incident.incident_updates.flatMap((u, i) => [
        ...misfits(u, INCIDENT_UPDATE, `incident_updates[${i}]`),
        ...(u.affected_components ?? []).flatMap((c, j) => misfits(c, AFFECTED_COMPONENT, `incident_updates[${i}].affected_components[${j}]`)),
      ]),
      ...event.incident.components.flatMap((c, i) => misfits(c, COMPONENT, `components[${i}]`)),
    ];
    expect(problems).toEqual([]);
  });

  it('is the incident the v2 API serves, with the whole history, newest first', () => {
    const served = v2Incident(incident, data, ctx);
    for (const [field, value] of Object.entries(served)) {
      if (field === 'incident_updates') continue;
      expect(event.incident[field as keyof typeof event.incident], field).toEqual(value);
    }
    expect(event.incident.incident_updates.map((u) => u.id)).toEqual(['u2', 'u1']);
    event.incident.incident_updates.forEach((u, i) => expect(u).toMatchObject(served.incident_updates[i]!));
  });

  it('says what each update changed: the old status as recorded, else what the incident set before', () => {
    const [latest, first] = event.incident.incident_updates;
    expect(first!.affected_components).toEqual([
      { code: 'api', name: 'Component api', old_status: 'operational', new_status: 'major_outage' },
      { code: 'web', name: 'Component web', old_status: 'operational', new_status: 'degraded_performance' },
    ]);
    expect(latest!.affected_components).toEqual([{ code: 'api', name: 'Component api', old_status: 'major_outage', new_status: 'partial_outage' }]);
  });

  it('names the page by its Statuspage id and writes every time in the page’s zone', () => {
    expect(event.page).toEqual({ id: pageIdFor(ctx.publicUrl), status_indicator: 'major', status_description: 'Partial System Outage' });
    expect(event.incident.page_id).toBe(event.page.id);
    expect(event.meta.generated_at).toBe('2026-11-01T10:00:00.000+01:00');
    expect(event.incident.created_at).toBe('2026-11-01T09:02:00.000+01:00');
    expect(event.incident.incident_updates[0]!.display_at).toBe('2026-11-01T09:20:00.000+01:00');
  });

  it('fills the postmortem fields when it announces one', () => {
    const withPostmortem = statuspageIncidentEvent({
      incident,
      data,
      ctx,
      page,
      postmortem: { body: 'What happened.', publishedAt: at('2026-11-03T09:00:00Z'), updatedAt: at('2026-11-03T08:00:00Z') },
    });
    expect(withPostmortem.incident).toMatchObject({
      postmortem_body: 'What happened.',
      postmortem_published_at: '2026-11-03T10:00:00.000+01:00',
      postmortem_body_last_updated_at: '2026-11-03T09:00:00.000+01:00',
      postmortem_notified_subscribers: true,
    });
    expect(event.incident).toMatchObject({ postmortem_body: null, postmortem_published_at: null, postmortem_notified_subscribers: false });
  });
});

describe('Statuspage component event', () => {
  const changed = { ...component('api', 0), status: 'under_maintenance' as const, updatedAt: at('2026-11-01T08:30:00Z') };
  const event = statuspageComponentEvent({
    component: changed,
    change: { id: '42', oldStatus: 'operational', newStatus: 'under_maintenance', at: at('2026-11-01T08:30:00Z') },
    ctx,
    page: { indicator: 'maintenance', description: 'Service Under Maintenance' },
  });

  it('has Statuspage’s keys, and every field of each of its objects, of the same types', () => {
    expect(Object.keys(event)).toEqual([...COMPONENT_EVENT_KEYS]);
    expect(componentEventMisfits(event)).toEqual([]);
  });

  it('says the change: old and new status, when, its id, the component’s id', () => {
    expect(event.component_update).toEqual({
      created_at: '2026-11-01T09:30:00.000+01:00',
      new_status: 'under_maintenance',
      old_status: 'operational',
      id: '42',
      component_id: 'api',
      component_type: 'Component',
    });
    expect(event.component.status).toBe(event.component_update.new_status);
  });

  it('is the component /api/v2/components.json serves, and the page with the maintenance indicator', () => {
    const [served] = v2Components({ ...data, components: [changed] }, ctx);
    expect(event.component).toEqual(served);
    expect(event.page).toEqual({ id: pageIdFor(ctx.publicUrl), status_indicator: 'maintenance', status_description: 'Service Under Maintenance' });
    expect(event.component.page_id).toBe(event.page.id);
  });

  it('leaves meta.unsubscribe to each receiver’s link, links our documentation', () => {
    expect(event.meta).toEqual({ unsubscribe: null, documentation: 'https://status.example.com/docs', generated_at: '2026-11-01T10:00:00.000+01:00' });
  });
});

describe('withUnsubscribeLink', () => {
  it('sets meta.unsubscribe and nothing else, leaving the stored event as it was', () => {
    const stored = statuspageIncidentEvent({ incident, data, ctx, page });
    const sent = withUnsubscribeLink(stored, 'https://status.example.com/unsubscribe/abc') as typeof stored;
    expect(sent.meta).toEqual({ ...stored.meta, unsubscribe: 'https://status.example.com/unsubscribe/abc' });
    expect(sent.incident).toBe(stored.incident);
    expect(stored.meta.unsubscribe).toBeNull();
  });
  it('passes a body without meta through unchanged', () => {
    expect(withUnsubscribeLink({ a: 1 }, 'u')).toEqual({ a: 1 });
    expect(withUnsubscribeLink(null, 'u')).toBeNull();
  });
});
