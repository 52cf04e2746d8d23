/**
 * The product's enumerations, kept free of any framework import so that the database schema,
 * the HTTP schemas, the templates and the pure domain functions all share one definition.
 */

/** Component statuses, ordered from best to worst: the order is what status roll-ups compare. */
export const COMPONENT_STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Public impact, as Statuspage names it. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

/** Incident statuses in lifecycle order; an incident only moves forward (reopening is explicit). */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const UPDATE_KINDS = ['update', 'resolution'] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

/** User roles, from most to least powerful. */
export const ROLES = ['owner', 'responder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_RANK: Record<Role, number> = { viewer: 0, responder: 1, owner: 2 };

/** Whether `role` may do what `least` may: each role can do everything the ones below it can. */
export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[least];
}

export const INCIDENT_ROLES = ['commander', 'techLead', 'commsLead', 'scribe'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

/** Scheduled maintenance, in lifecycle order (Statuspage's names); it only moves forward. */
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];
/** The statuses in which a maintenance holds its components under maintenance. */
export const MAINTENANCE_UNDER_WAY: readonly MaintenanceStatus[] = ['in_progress', 'verifying'];
