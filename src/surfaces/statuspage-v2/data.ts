import { and, desc, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { readPublicSnapshot } from '../../db/public-versions.js';
import { HeldRead } from '../render-cache/held-read.js';
import { incidents, maintenances } from '../../db/schema/index.js';
import { componentIdsOf, listMaintenanceUpdates as listUpdates } from '../../modules/maintenance/index.js';
import { isPublicIncident, listPublishedUpdates, postmortemPublishedAt } from '../../modules/incidents/index.js';
import { listComponents, listGroups, listIncidentStatusChanges } from '../../modules/components/index.js';
import { RECENT_INCIDENTS } from '../../statuspage/incidents.js';
import type { V2Data } from '../../statuspage/page.js';

type IncidentsPart = Pick<V2Data, 'incidents' | 'updates' | 'statusChanges' | 'postmortemsPublished'>;
type MaintenancePart = Pick<V2Data, 'maintenances' | 'maintenanceUpdates' | 'maintenanceComponents'>;

/** The incidents and what is shown of them, in one wave: each read selects the incidents' ids itself. */
async function readIncidentsPart(db: DbOrTx): Promise<IncidentsPart> {
  const ids = db.select({ id: incidents.id }).from(incidents).where(isShownIncident(db));
  const [rows, updates, statusChanges, postmortems] = await Promise.all([
    db.select().from(incidents).where(isShownIncident(db)).orderBy(desc(incidents.createdAt)),
    listPublishedUpdates(db, ids),
    listIncidentStatusChanges(db, ids),
    postmortemPublishedAt(db, ids),
  ]);
  return { incidents: rows, updates, statusChanges, postmortemsPublished: new Set(postmortems.keys()) };
}

async function readMaintenancePart(db: DbOrTx): Promise<MaintenancePart> {
  const rows = await currentAndRecentMaintenances(db);
  const ids = rows.map((m) => m.id);
  const [maintenanceUpdates, maintenanceComponents] = await Promise.all([listUpdates(db, ids), componentIdsOf(db, ids)]);
  return { maintenances: rows, maintenanceUpdates, maintenanceComponents };
}

/**
 * Everything the v2 endpoints show, read now; drafts never, by the shared rule. What KeptV2Data
 * hands the documents is held to this read in the tests.
 */
export async function loadV2Data(db: DbOrTx): Promise<V2Data> {
  const [components, groups, incidentsPart, maintenancePart] = await Promise.all([listComponents(db), listGroups(db), readIncidentsPart(db), readMaintenancePart(db)]);
  return { components, groups, ...incidentsPart, ...maintenancePart };
}

/**
 * The v2 endpoints' data, with the incidents and the maintenance kept between renders and read
 * again only when their number in `public_versions` moved, as the status page keeps its own
 * (src/surfaces/web/status-page-rows.ts): after a component's status changes, one statement
 * (the numbers with the components and their groups) instead of nine in two waves. The
 * numbers come in the same snapshot as the components, and parts read after them are at least
 * as new as they say. Renders side by side share a part's read.
 */
export class KeptV2Data {
  /** How many parts were read, and how many were taken as kept: for the tests. */
  readonly counts = { read: 0, kept: 0 };
  private readonly incidents = new HeldRead<IncidentsPart>(this.counts);
  private readonly maintenance = new HeldRead<MaintenancePart>(this.counts);

  readonly read = async (db: DbOrTx): Promise<V2Data> => {
    const { versions, components, groups } = await readPublicSnapshot(db);
    const [incidentsPart, maintenancePart] = await Promise.all([
      this.incidents.get(String(versions.incidents), () => readIncidentsPart(db)).value,
      this.maintenance.get(String(versions.maintenance), () => readMaintenancePart(db)).value,
    ]);
    return { components, groups, ...incidentsPart, ...maintenancePart };
  };

}

/** The incidents the documents show: unresolved public ones, and the most recent whatever their state. */
function isShownIncident(db: DbOrTx) {
  const recent = db
    .select({ id: incidents.id })
    .from(incidents)
    .where(isPublicIncident)
    .orderBy(desc(incidents.createdAt))
    .limit(RECENT_INCIDENTS);
  return and(isPublicIncident, or(isNull(incidents.resolvedAt), inArray(incidents.id, recent)));
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
