import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  type Impact,
  type Severity,
} from './vocabulary.js';

/** Statuspage's overall indicator: `maintenance` is its own value beside the impact scale. */
export type Indicator = 'none' | 'maintenance' | 'minor' | 'major' | 'critical';

export interface OverallStatus {
  indicator: Indicator;
  /** Statuspage's wording, shown as the page's headline. */
  description: string;
}

const STATUS_RANK: Record<ComponentStatus, number> = Object.fromEntries(
  COMPONENT_STATUSES.map((status, rank) => [status, rank]),
) as Record<ComponentStatus, number>;

/** The worst of several statuses; an empty list is operational (nothing is broken). */
export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const status of statuses) {
    if (STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  }
  return worst;
}

export function isWorse(a: ComponentStatus, b: ComponentStatus): boolean {
  return STATUS_RANK[a] > STATUS_RANK[b];
}

/** Public impact of an incident: the override when one is set, otherwise derived from severity. */
export function impactOf(severity: Severity, override?: Impact | null): Impact {
  if (override) return override;
  const bySeverity: Record<Severity, Impact> = { P0: 'critical', P1: 'major', P2: 'minor', P3: 'none' };
  return bySeverity[severity];
}

const INDICATOR_RANK: Record<Indicator, number> = {
  none: 0,
  maintenance: 1,
  minor: 2,
  major: 3,
  critical: 4,
};

const INDICATOR_BY_STATUS: Record<ComponentStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

const DESCRIPTION_BY_INDICATOR: Record<Indicator, string> = {
  none: 'All Systems Operational',
  maintenance: 'Service Under Maintenance',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
};

/**
 * The headline's arithmetic: the worse of what the components say and what the active
 * incidents declare, so an incident opened before anyone touched a component still turns the
 * page. Callers holding rows use `pageStatus`, which feeds it.
 */
export function overallStatus(
  componentStatuses: Iterable<ComponentStatus>,
  activeIncidentImpacts: Iterable<Impact> = [],
): OverallStatus {
  let indicator = INDICATOR_BY_STATUS[worstStatus(componentStatuses)];
  for (const impact of activeIncidentImpacts) {
    if (INDICATOR_RANK[impact] > INDICATOR_RANK[indicator]) indicator = impact;
  }
  return { indicator, description: DESCRIPTION_BY_INDICATOR[indicator] };
}

/** What the headline reads of an incident: its public impact. */
export interface ImpactOfIncident {
  severity: Severity;
  impactOverride?: Impact | null;
}

/**
 * The page's headline from every component and every unresolved public incident: the one
 * roll-up behind the status page, the badge, the Statuspage API and the notifications' `page`
 * block, so they cannot disagree.
 */
export function pageStatus(
  components: readonly { status: ComponentStatus }[],
  unresolvedIncidents: readonly ImpactOfIncident[],
): OverallStatus {
  return overallStatus(
    components.map((c) => c.status),
    unresolvedIncidents.map((i) => impactOf(i.severity, i.impactOverride)),
  );
}

const STATUS_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

export function componentStatusLabel(status: ComponentStatus): string {
  return STATUS_LABEL[status];
}
