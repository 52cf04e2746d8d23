import type { IncidentRow } from '../../src/db/rows.js';

/** An incident row for pure tests of the presenters: a public P1 under investigation since `at`. */
export function incidentRow(id: string, at: Date, over: Partial<IncidentRow> = {}): IncidentRow {
  return {
    id,
    title: `Incident ${id}`,
    severity: 'P1',
    impactOverride: null,
    status: 'investigating',
    draft: false,
    startedAt: at,
    detectedAt: at,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    postmortemDueAt: null,
    commanderId: null,
    techLeadId: null,
    commsLeadId: null,
    scribeId: null,
    createdBy: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}
