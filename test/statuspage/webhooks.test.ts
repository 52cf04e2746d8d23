import { describe, expect, it } from 'vitest';
import { v2Incident } from '../../src/statuspage/incidents.js';
import { pageIdFor, type V2Data } from '../../src/statuspage/page.js';
import { statuspageIncidentEvent } from '../../src/statuspage/webhooks.js';
import { AFFECTED_COMPONENT, COMPONENT, INCIDENT, INCIDENT_UPDATE, META, PAGE, misfits } from '../fixtures/statuspage-webhooks/shapes.js';

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
  createdAt: at('2026-10-01T00:00:00Z'),
  updatedAt: at('2026-10-01T00:00:00Z'),
});
const incident = {
  id: 'i1',
  title: 'API errors',
  severity: 'P1' as const,
  impactOverride: null,
  status: 'identified' as const,
  draft: false,
  startedAt: at('2026-11-01T08:00:00Z'),
  detectedAt: at('2026-11-01T08:00:00Z'),
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  postmortemDueAt: null,
  commanderId: null,
  techLeadId: null,
  commsLeadId: null,
  scribeId: null,
  createdBy: null,
  version: 2,
  createdAt: at('2026-11-01T08:02:00Z'),
  updatedAt: at('2026-11-01T08:20:00Z'),
};
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
};
const page = { indicator: 'major' as const, description: 'Partial System Outage' };

describe('Statuspage incident event', () => {
  const event = statuspageIncidentEvent({ incident, data, ctx, page, documentationUrl: 'https://status.example.com/docs' });

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
      documentationUrl: 'https://status.example.com/docs',
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
