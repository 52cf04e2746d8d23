import { and, asc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidents, incidentUpdates, postmortems } from '../../db/schema/index.js';
import { groupBy } from '../../domain/group-by.js';
import type { ReportIncident } from '../../domain/response-report.js';

/** A report incident with what names it in a list. */
export interface NamedReportIncident extends ReportIncident {
  id: string;
  title: string;
}

/** Public incidents detected in [from, to), with their public update times and postmortem publication, oldest detection first. */
export async function listReportIncidents(db: DbOrTx, from: Date, to: Date): Promise<NamedReportIncident[]> {
  const inRange = and(eq(incidents.draft, false), gte(incidents.detectedAt, from), lt(incidents.detectedAt, to));
  const [rows, updates] = await Promise.all([
    db
      .select({ incident: incidents, postmortemPublishedAt: postmortems.publishedAt })
      .from(incidents)
      .leftJoin(postmortems, eq(postmortems.incidentId, incidents.id))
      .where(inRange)
      .orderBy(asc(incidents.detectedAt), asc(incidents.id)),
    db
      .select({ incidentId: incidentUpdates.incidentId, publishedAt: incidentUpdates.publishedAt })
      .from(incidentUpdates)
      .innerJoin(incidents, eq(incidents.id, incidentUpdates.incidentId))
      .where(and(inRange, isNotNull(incidentUpdates.publishedAt))),
  ]);
  const times = groupBy(updates, (u) => u.incidentId);
  return rows.map(({ incident, postmortemPublishedAt }) => ({
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    startedAt: incident.startedAt,
    detectedAt: incident.detectedAt,
    acknowledgedAt: incident.acknowledgedAt,
    mitigatedAt: incident.mitigatedAt,
    resolvedAt: incident.resolvedAt,
    postmortemDueAt: incident.postmortemDueAt,
    postmortemPublishedAt,
    publicUpdateTimes: (times.get(incident.id) ?? []).map((u) => u.publishedAt!),
  }));
}
