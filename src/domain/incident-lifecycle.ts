import { INCIDENT_STATUSES, type ComponentStatus, type IncidentStatus } from './vocabulary.js';
import { worstStatus } from './status.js';

const ORDER: Record<IncidentStatus, number> = Object.fromEntries(
  INCIDENT_STATUSES.map((status, index) => [status, index]),
) as Record<IncidentStatus, number>;

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/**
 * An update may keep the status or move it forward, skipping steps if need be. Going back
 * (say monitoring → investigating) would hide that a fix failed; that is a reopen, an explicit
 * action. Resolving goes through the resolution announcement, never a plain update.
 */
export function checkUpdateTransition(from: IncidentStatus, to: IncidentStatus): TransitionCheck {
  if (from === 'resolved') return { ok: false, reason: 'The incident is resolved; reopen it first' };
  if (to === 'resolved') {
    return { ok: false, reason: 'Resolve an incident with its resolution announcement (POST …/resolve)' };
  }
  if (ORDER[to] < ORDER[from]) {
    return { ok: false, reason: `An incident cannot go back from ${from} to ${to}` };
  }
  return { ok: true };
}

export function statusLabel(status: IncidentStatus): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/**
 * What each component should return to when an incident resolves: operational, unless another
 * open incident still holds it, in which case the worst status those incidents last set.
 * Explicit statuses given with the resolution win over both.
 */
export function statusesAfterResolution(
  affectedComponentIds: Iterable<string>,
  heldByOtherOpenIncidents: ReadonlyMap<string, readonly ComponentStatus[]>,
  explicit: Readonly<Record<string, ComponentStatus>> = {},
): Record<string, ComponentStatus> {
  const result: Record<string, ComponentStatus> = {};
  for (const id of affectedComponentIds) {
    result[id] = worstStatus(heldByOtherOpenIncidents.get(id) ?? []);
  }
  return { ...result, ...explicit };
}

/**
 * The status each component was last set to by a sequence of updates, oldest first.
 * This is the incident's current claim on each component it touched.
 */
export function latestComponentStatuses(
  updates: ReadonlyArray<{ componentStatuses: Readonly<Record<string, ComponentStatus>> }>,
): Record<string, ComponentStatus> {
  const latest: Record<string, ComponentStatus> = {};
  for (const update of updates) Object.assign(latest, update.componentStatuses);
  return latest;
}

export interface LifecycleTimes {
  startedAt: Date;
  detectedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
}

/** Clocks of a few seconds' skew between a client and us are not an error. */
const FUTURE_TOLERANCE_MS = 60_000;

/**
 * The lifecycle times must tell a possible story: impact starts no later than we detect it,
 * nothing is acknowledged, mitigated or resolved before detection, mitigation comes no later
 * than resolution, and nothing has happened in the future. Returns the first problem, or null.
 */
export function lifecycleTimesProblem(times: LifecycleTimes, now: Date): string | null {
  const named: Array<[keyof LifecycleTimes, Date | null]> = Object.entries(times) as Array<[keyof LifecycleTimes, Date | null]>;
  for (const [name, at] of named) {
    if (at && at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return `${name} is in the future`;
  }
  if (times.startedAt > times.detectedAt) return 'startedAt must not be after detectedAt';
  for (const name of ['acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const) {
    const at = times[name];
    if (at && at < times.detectedAt) return `${name} must not be before detectedAt`;
  }
  if (times.mitigatedAt && times.resolvedAt && times.mitigatedAt > times.resolvedAt) {
    return 'mitigatedAt must not be after resolvedAt';
  }
  return null;
}
