/**
 * Pure functions from our rows to Statuspage's v2 shapes, one file per part of its API: the
 * page and its status here, then components, incidents and maintenances. Field names and enums
 * are Statuspage's; what we keep internal (severity, drafts, notes, authors, roles) has no field.
 */
import type { ComponentGroupRow, ComponentRow, IncidentRow, IncidentUpdateRow, MaintenanceRow, MaintenanceUpdateRow } from '../db/rows.js';
import { createHash } from 'node:crypto';
import type { SiteNow } from '../core/site.js';
import { pageStatus, type Indicator } from '../domain/status.js';
import type { ComponentStatus } from '../domain/vocabulary.js';
import { isoInZone } from '../text/zoned-iso.js';
import type { V2Indicator } from './schemas.js';

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
  /** Those incidents whose postmortem is published: Statuspage shows them as `postmortem`. */
  postmortemsPublished: ReadonlySet<string>;
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

export function v2Page(data: V2Data, ctx: SiteNow) {
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

export function v2Status(data: V2Data): { indicator: V2Indicator; description: string } {
  const status = pageStatus(data.components, data.incidents.filter((i) => i.resolvedAt === null));
  return { indicator: v2Indicator(status.indicator), description: status.description };
}

/**
 * Our page's indicator as Statuspage sends it. Its API reference lists `none|minor|major|critical`,
 * but its pages send `maintenance` while work is under way and nothing is worse (as its own
 * webhooks do, and its status widget styles): so do we.
 */
export function v2Indicator(indicator: Indicator): V2Indicator {
  return indicator;
}
