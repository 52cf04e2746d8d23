import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { buildMaintenanceNotification } from '../../src/notifications/messages/maintenance.js';
import { withUnsubscribe } from '../../src/notifications/messages/mail-layout.js';
import { V2Maintenance } from '../../src/statuspage/schemas.js';

const at = new Date('2026-03-01T12:00:00Z');
const maintenance = {
  id: '3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60',
  title: 'Router <swap>',
  body: 'We replace **both** routers.',
  bodyHtml: null,
  status: 'scheduled' as const,
  scheduledFor: new Date('2026-03-08T09:00:00Z'),
  scheduledUntil: new Date('2026-03-08T11:00:00Z'),
  autoStart: true,
  autoComplete: true,
  startedAt: null,
  verifyingAt: null,
  completedAt: null,
  createdBy: null,
  createdAt: at,
  updatedAt: at,
};
const component = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Edge & CDN',
  description: '',
  groupId: null,
  position: 0,
  status: 'operational' as const,
  showcase: true,
  uptimeRevision: 1,
  createdAt: at,
  updatedAt: at,
};
const update = { id: 'u1', seq: 1, maintenanceId: maintenance.id, status: 'scheduled' as const, body: maintenance.body, bodyHtml: null, authorId: null, createdAt: at };
const site = { pageName: 'Example Status', publicUrl: 'https://status.example.com', timeZone: 'America/Los_Angeles' };

describe('buildMaintenanceNotification', () => {
  const n = buildMaintenanceNotification(
    { event: 'maintenance.scheduled', maintenance, components: [component], updates: [update], status: { indicator: 'none', description: 'All Systems Operational' } },
    site,
    at,
  );

  it('mail: subject, window in the display zone across the DST change, components, link', () => {
    expect(n.subject).toBe('[Example Status] Scheduled maintenance: Router <swap>');
    expect(n.text).toContain('When: Mar 8, 2026, 01:00 PST – 04:00 PDT');
    expect(n.text).toContain('Affected: Edge & CDN');
    expect(n.text).toContain('We replace **both** routers.');
    expect(n.text).toContain(`Details: https://status.example.com/maintenances/${maintenance.id}`);
    expect(n.componentIds).toEqual([component.id]);
  });

  it('html is escaped, the body rendered by our sanitising markdown', () => {
    expect(n.html).toContain('Router &lt;swap&gt;');
    expect(n.html).not.toContain('<swap>');
    expect(n.html).toContain('Edge &amp; CDN');
    expect(n.html).toContain('<strong>both</strong>');
  });

  // Guards the unsubscribe link: the worker adds it before </body>, so a mail without the
  // shared frame went out with none in its HTML.
  it('html is a whole document, so the unsubscribe footer finds its place', () => {
    const sent = withUnsubscribe(n, { pageName: 'Example Status', unsubscribeUrl: 'https://status.example.com/unsubscribe/t', scope: 'status updates' });
    expect(sent.html).toContain('<a href="https://status.example.com/unsubscribe/t">Unsubscribe</a>');
  });

  it('webhook: Statuspage’s shape, the maintenance as its v2 incident object', () => {
    expect(n.webhook.page).toEqual({ id: expect.stringMatching(/^[0-9a-z]{12}$/), status_indicator: 'none', status_description: 'All Systems Operational' });
    expect(Value.Check(V2Maintenance, n.webhook.incident)).toBe(true);
    expect(n.webhook.incident).toMatchObject({ impact: 'maintenance', status: 'scheduled', scheduled_for: '2026-03-08T01:00:00.000-08:00' });
  });

  it('each event has its own headline', () => {
    for (const [event, headline] of [
      ['maintenance.started', 'Maintenance in progress'],
      ['maintenance.completed', 'Maintenance completed'],
    ] as const) {
      const other = buildMaintenanceNotification({ event, maintenance, components: [], updates: [], status: { indicator: 'maintenance', description: 'Service Under Maintenance' } }, site, at);
      expect(other.subject).toContain(headline);
      expect(other.text).not.toContain('Affected:');
    }
  });
});
