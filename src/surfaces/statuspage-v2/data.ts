import { and, desc, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidents, maintenances } from '../../db/schema/index.js';
import { componentIdsOf, listMaintenanceUpdates as listUpdates } from '../../modules/maintenance/index.js';
import { isPublicIncident, listPublishedUpdates, postmortemPublishedAt } from '../../modules/incidents/index.js';
import { listComponents, listGroups, listIncidentStatusChanges } from '../../modules/components/index.js';
import { RECENT_INCIDENTS } from '../../statuspage/incidents.js';
import type { V2Data } from '../../statuspage/page.js';

/** Everything the v2 endpoints show, read once per render; drafts never, by the shared rule. */
export async function loadV2Data(db: DbOrTx): Promise<V2Data> {
  const [components, groups, incidentRows, maintenanceRows] = await Promise.all([
    listComponents(db),
    listGroups(db),
    publicIncidents(db),
    currentAndRecentMaintenances(db),
  ]);
  const incidentIds = incidentRows.map((i) => i.id);
  const maintenanceIds = maintenanceRows.map((m) => m.id);
  const [updates, statusChanges, maintenanceUpdates, maintenanceComponents, postmortems] = await Promise.all([
    listPublishedUpdates(db, incidentIds),
    listIncidentStatusChanges(db, incidentIds),
    listUpdates(db, maintenanceIds),
    componentIdsOf(db, maintenanceIds),
    postmortemPublishedAt(db, incidentIds),
  ]);
  return {
    components,
    groups,
    incidents: incidentRows,
    updates,
    statusChanges,
    maintenances: maintenanceRows,
    maintenanceUpdates,
    maintenanceComponents,
    postmortemsPublished: new Set(postmortems.keys()),
  };
}

/** Unresolved public incidents, and the most recent ones whatever their state. */
function publicIncidents(db: DbOrTx) {
  const recent = db
    .select({ id: incidents.id })
    .from(incidents)
    .where(isPublicIncident)
    .orderBy(desc(incidents.createdAt))
    .limit(RECENT_INCIDENTS);
  return db
    .select()
    .from(incidents)
    .where(and(isPublicIncident, or(isNull(incidents.resolvedAt), inArray(incidents.id, recent))))
    .orderBy(desc(incidents.createdAt));
}

/** Every maintenance not completed, and the 50 latest windows. */
function currentAndRecentMaintenances(db: DbOrTx) {
  const recent = db.select({ id: maintenances.id }).from(maintenances).orderBy(desc(maintenances.scheduledFor)).limit(50);
  return db
    .select()
    .from(maintenances)
    .where(or(ne(maintenances.status, 'completed'), inArray(maintenances.id, recent)))
    .orderBy(desc(maintenances.scheduledFor), sql`${maintenances.id}`);
}
