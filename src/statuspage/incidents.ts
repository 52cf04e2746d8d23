/** Statuspage's incidents: one with its updates, and the selections its endpoints list. */
import type { SiteNow } from '../core/site.js';
import type { IncidentRow } from '../db/rows.js';
import { pagePositions } from '../domain/page-order.js';
import { impactOf } from '../domain/status.js';
import type { ComponentStatus } from '../domain/vocabulary.js';
import { isoInZone } from '../text/zoned-iso.js';
import { componentRow } from './components.js';
import { pageIdFor, type V2Data } from './page.js';
import type { V2IncidentUpdateView, V2IncidentView } from './schemas.js';

/**
 * One incident. Each update's `affected_components` says what it changed: the old status is
 * the one the change history recorded, else what this incident set before, else operational.
 */
export function v2Incident(incident: IncidentRow, data: V2Data, ctx: SiteNow): V2IncidentView {
  const pageId = pageIdFor(ctx.publicUrl);
  const tz = ctx.timeZone;
  const newestFirst = data.updates.filter((u) => u.incidentId === incident.id);
  const byId = new Map(data.components.map((c) => [c.id, c]));
  const order = pagePositions(data.components, data.groups);
  const recorded = new Map(
    data.statusChanges
      .filter((s) => s.incidentId === incident.id)
      .map((s) => [`${s.componentId}|${s.changedAt.getTime()}`, s.fromStatus]),
  );
  const claimed = new Map<string, ComponentStatus>();
  const oldestFirst = [...newestFirst].reverse().map((u): V2IncidentUpdateView => {
    const at = u.publishedAt ?? u.createdAt;
    const affected = inPageOrder(Object.entries(u.componentStatuses), order).flatMap(([id, status]) => {
      const component = byId.get(id);
      const old = recorded.get(`${id}|${at.getTime()}`) ?? claimed.get(id) ?? 'operational';
      claimed.set(id, status);
      return component ? [{ code: id, name: component.name, old_status: old, new_status: status }] : [];
    });
    return {
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: incident.id,
      created_at: isoInZone(u.createdAt, tz),
      updated_at: isoInZone(at, tz),
      display_at: isoInZone(at, tz),
      affected_components: affected.length > 0 ? affected : null,
      deliver_notifications: u.notify,
    };
  });
  const monitoring = oldestFirst.find((u) => u.status === 'monitoring');
  return {
    id: incident.id,
    name: incident.title,
    status: incident.resolvedAt && data.postmortemsPublished.has(incident.id) ? 'postmortem' : incident.status,
    created_at: isoInZone(incident.createdAt, tz),
    updated_at: isoInZone(incident.updatedAt, tz),
    monitoring_at: monitoring ? monitoring.display_at : null,
    resolved_at: incident.resolvedAt ? isoInZone(incident.resolvedAt, tz) : null,
    impact: impactOf(incident.severity, incident.impactOverride),
    shortlink: `${ctx.publicUrl}/incidents/${incident.id}`,
    started_at: isoInZone(incident.startedAt, tz),
    page_id: pageId,
    incident_updates: oldestFirst.reverse(),
    components: inPageOrder([...claimed.keys()].map((id) => [id]), order).flatMap(([id]) => {
      const c = byId.get(id);
      return c ? [componentRow(c, ctx, pageId)] : [];
    }),
  };
}

/**
 * Entries keyed by component id, in the order the page lists the components (stored statuses
 * come back in jsonb's key order, which is no order a reader would recognise).
 */
function inPageOrder<T extends [string, ...unknown[]]>(entries: T[], order: ReadonlyMap<string, number>): T[] {
  return [...entries].sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
}

/** The 50 most recent public incidents, newest first (incidents.json). */
export const RECENT_INCIDENTS = 50;

export function recentIncidents(data: V2Data): IncidentRow[] {
  return [...data.incidents].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, RECENT_INCIDENTS);
}

/** Every unresolved public incident, newest first (summary.json, incidents/unresolved.json). */
export function unresolvedIncidents(data: V2Data): IncidentRow[] {
  return data.incidents.filter((i) => i.resolvedAt === null).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
