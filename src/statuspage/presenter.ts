/**
 * Pure functions from our rows to Statuspage's v2 shapes. Field names and enums are
 * Statuspage's; what we keep internal (severity, drafts, notes, authors, roles) has no field.
 */
import type { ComponentGroupRow, ComponentRow, IncidentRow, IncidentUpdateRow, MaintenanceRow, MaintenanceUpdateRow } from '../db/rows.js';
import { createHash } from 'node:crypto';
import { isUnderWay } from '../domain/maintenance-window.js';
import { impactOf, pageStatus, worstStatus, type Indicator } from '../domain/status.js';
import type { ComponentStatus } from '../domain/vocabulary.js';
import { isoInZone } from '../text/zoned-iso.js';
import type {
  V2ComponentView,
  V2IncidentUpdateView,
  V2IncidentView,
  V2Indicator,
  V2MaintenanceView,
} from './schemas.js';

export interface V2Context {
  pageName: string;
  publicUrl: string;
  timeZone: string;
  now: Date;
}

export interface StatusChange {
  incidentId: string | null;
  componentId: string;
  fromStatus: ComponentStatus | null;
  changedAt: Date;
}

export interface V2Data {
  components: ComponentRow[];
  groups: ComponentGroupRow[];
  /** Public incidents: the unresolved ones and the most recent. */
  incidents: IncidentRow[];
  /** Their published updates, newest first. */
  updates: IncidentUpdateRow[];
  /** The status changes those incidents made, for each update's `old_status`. */
  statusChanges: StatusChange[];
  maintenances: MaintenanceRow[];
  /** Newest first. */
  maintenanceUpdates: MaintenanceUpdateRow[];
  maintenanceComponents: ReadonlyMap<string, string[]>;
}

/**
 * A Statuspage page id is 12 lowercase letters and digits. Ours is derived from PUBLIC_URL: the
 * same on every process and across restarts, different for every page, with nothing to store.
 */
export function pageIdFor(publicUrl: string): string {
  const digest = createHash('sha256').update(publicUrl).digest();
  return BigInt(`0x${digest.subarray(0, 8).toString('hex')}`).toString(36).padStart(13, '0').slice(-12);
}

/** The newest of the dates; `fallback` when there are none (an empty page changed at render). */
function latest(dates: Date[], fallback: Date): Date {
  return dates.length === 0 ? fallback : new Date(dates.reduce((max, d) => Math.max(max, d.getTime()), 0));
}

export function v2Page(data: V2Data, ctx: V2Context) {
  const updatedAt = latest(
    [
      ...data.components.map((c) => c.updatedAt),
      ...data.groups.map((g) => g.updatedAt),
      ...data.incidents.map((i) => i.updatedAt),
      ...data.maintenances.map((m) => m.updatedAt),
    ],
    ctx.now,
  );
  return {
    id: pageIdFor(ctx.publicUrl),
    name: ctx.pageName,
    url: ctx.publicUrl,
    time_zone: ctx.timeZone,
    updated_at: isoInZone(updatedAt, ctx.timeZone),
  };
}

function componentRow(c: ComponentRow, ctx: V2Context, pageId: string): V2ComponentView {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: isoInZone(c.createdAt, ctx.timeZone),
    updated_at: isoInZone(c.updatedAt, ctx.timeZone),
    position: c.position,
    description: c.description === '' ? null : c.description,
    showcase: c.showcase,
    start_date: isoInZone(c.createdAt, ctx.timeZone).slice(0, 10),
    group_id: c.groupId,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  };
}

/** Groups appear as components with `group: true` and their members' ids, each followed by its members. */
export function v2Components(data: V2Data, ctx: V2Context): V2ComponentView[] {
  const pageId = pageIdFor(ctx.publicUrl);
  const groupIds = new Set(data.groups.map((g) => g.id));
  const rows: V2ComponentView[] = [];
  for (const g of data.groups) {
    const members = data.components.filter((c) => c.groupId === g.id);
    if (members.length === 0) continue;
    rows.push({
      id: g.id,
      name: g.name,
      status: worstStatus(members.map((m) => m.status)),
      created_at: isoInZone(g.createdAt, ctx.timeZone),
      updated_at: isoInZone(g.updatedAt, ctx.timeZone),
      position: g.position,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: pageId,
      group: true,
      only_show_if_degraded: false,
      components: members.map((m) => m.id),
    });
    rows.push(...members.map((m) => componentRow(m, ctx, pageId)));
  }
  rows.push(...data.components.filter((c) => !c.groupId || !groupIds.has(c.groupId)).map((c) => componentRow(c, ctx, pageId)));
  return rows;
}

export function v2Status(data: V2Data): { indicator: V2Indicator; description: string } {
  const status = pageStatus(data.components, unresolvedIncidents(data));
  return { indicator: v2Indicator(status.indicator), description: status.description };
}

/**
 * Our page's indicator in Statuspage's documented enumeration. Maintenance is not an outage:
 * `none`, while the description still says "Service Under Maintenance".
 */
export function v2Indicator(indicator: Indicator): V2Indicator {
  return indicator === 'maintenance' ? 'none' : indicator;
}

/**
 * One incident. Each update's `affected_components` says what it changed: the old status is
 * the one the change history recorded, else what this incident set before, else operational.
 */
export function v2Incident(incident: IncidentRow, data: V2Data, ctx: V2Context): V2IncidentView {
  const pageId = pageIdFor(ctx.publicUrl);
  const tz = ctx.timeZone;
  const newestFirst = data.updates.filter((u) => u.incidentId === incident.id);
  const byId = new Map(data.components.map((c) => [c.id, c]));
  const recorded = new Map(
    data.statusChanges
      .filter((s) => s.incidentId === incident.id)
      .map((s) => [`${s.componentId}|${s.changedAt.getTime()}`, s.fromStatus]),
  );
  const claimed = new Map<string, ComponentStatus>();
  const oldestFirst = [...newestFirst].reverse().map((u): V2IncidentUpdateView => {
    const at = u.publishedAt ?? u.createdAt;
    const affected = Object.entries(u.componentStatuses).flatMap(([id, status]) => {
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
    status: incident.status,
    created_at: isoInZone(incident.createdAt, tz),
    updated_at: isoInZone(incident.updatedAt, tz),
    monitoring_at: monitoring ? monitoring.display_at : null,
    resolved_at: incident.resolvedAt ? isoInZone(incident.resolvedAt, tz) : null,
    impact: impactOf(incident.severity, incident.impactOverride),
    shortlink: `${ctx.publicUrl}/incidents/${incident.id}`,
    started_at: isoInZone(incident.startedAt, tz),
    page_id: pageId,
    incident_updates: oldestFirst.reverse(),
    components: [...claimed.keys()].flatMap((id) => {
      const c = byId.get(id);
      return c ? [componentRow(c, ctx, pageId)] : [];
    }),
  };
}

export function v2Maintenance(m: MaintenanceRow, data: V2Data, ctx: V2Context): V2MaintenanceView {
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

/** The 50 most recent public incidents, newest first (incidents.json). */
export const RECENT_INCIDENTS = 50;

export function recentIncidents(data: V2Data): IncidentRow[] {
  return [...data.incidents].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, RECENT_INCIDENTS);
}

/** Every unresolved public incident, newest first (summary.json, incidents/unresolved.json). */
export function unresolvedIncidents(data: V2Data): IncidentRow[] {
  return data.incidents.filter((i) => i.resolvedAt === null).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
