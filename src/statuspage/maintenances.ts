/** Statuspage's scheduled maintenances: one with its updates, and which of them an endpoint lists. */
import type { SiteNow } from '../core/site.js';
import type { MaintenanceRow } from '../db/rows.js';
import { isUnderWay } from '../domain/maintenance-window.js';
import { isoInZone } from '../text/zoned-iso.js';
import { componentRow } from './components.js';
import { pageIdFor, type V2Data } from './page.js';
import type { V2MaintenanceView } from './schemas.js';

export function v2Maintenance(m: MaintenanceRow, data: V2Data, ctx: SiteNow): V2MaintenanceView {
  const pageId = pageIdFor(ctx.publicUrl);
  const tz = ctx.timeZone;
  const byId = new Map(data.components.map((c) => [c.id, c]));
  return {
    id: m.id,
    name: m.title,
    status: m.status,
    created_at: isoInZone(m.createdAt, tz),
    updated_at: isoInZone(m.updatedAt, tz),
    monitoring_at: m.verifyingAt ? isoInZone(m.verifyingAt, tz) : null,
    resolved_at: m.completedAt ? isoInZone(m.completedAt, tz) : null,
    impact: 'maintenance',
    shortlink: `${ctx.publicUrl}/maintenances/${m.id}`,
    started_at: isoInZone(m.startedAt ?? m.scheduledFor, tz),
    page_id: pageId,
    incident_updates: data.maintenanceUpdates
      .filter((u) => u.maintenanceId === m.id)
      .map((u) => ({
        id: u.id,
        status: u.status,
        body: u.body,
        incident_id: m.id,
        created_at: isoInZone(u.createdAt, tz),
        updated_at: isoInZone(u.createdAt, tz),
        display_at: isoInZone(u.createdAt, tz),
        affected_components: null,
        deliver_notifications: true,
      })),
    components: (data.maintenanceComponents.get(m.id) ?? []).flatMap((id) => {
      const c = byId.get(id);
      return c ? [componentRow(c, ctx, pageId)] : [];
    }),
    scheduled_for: isoInZone(m.scheduledFor, tz),
    scheduled_until: isoInZone(m.scheduledUntil, tz),
  };
}

export type MaintenanceSelection = 'all' | 'upcoming' | 'active' | 'current';

/** `upcoming`: scheduled; `active`: in progress or verifying; `current`: either (summary.json). */
export function selectMaintenances(data: V2Data, which: MaintenanceSelection): MaintenanceRow[] {
  const keep = (m: MaintenanceRow) =>
    which === 'all' ||
    (which === 'upcoming' && m.status === 'scheduled') ||
    (which === 'active' && isUnderWay(m.status)) ||
    (which === 'current' && m.status !== 'completed');
  // Upcoming soonest first; the full list newest window first, as Statuspage lists them.
  const rows = data.maintenances.filter(keep);
  return which === 'all'
    ? [...rows].sort((a, b) => b.scheduledFor.getTime() - a.scheduledFor.getTime())
    : [...rows].sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime());
}
