import type { DbOrTx } from '../../db/client.js';
import { readPublicSnapshot } from '../../db/public-versions.js';
import { HeldRead } from '../render-cache/held-read.js';
import { listComponents, listGroups, type ComponentGroupRow, type ComponentRow } from '../../modules/components/index.js';
import { listCurrentIncidents, listCurrentUpdates, type IncidentRow, type ListedUpdate } from '../../modules/incidents/index.js';
import { listOpenMaintenanceRows, type OpenMaintenance } from '../../modules/maintenance/index.js';

type ComponentsPart = [ComponentRow[], ComponentGroupRow[]];
type IncidentsPart = [IncidentRow[], ListedUpdate[]];

/**
 * The rows the status page is made from, each part as it arrives: the components come first,
 * and the uptime read waits only for them. Shared between renders: read them, never change them.
 */
export interface StatusPageReading {
  /** The components and their groups. */
  components: Promise<ComponentsPart>;
  /** Unresolved public incidents and those that began or ended since the recent window's start, with their published updates. */
  incidents: Promise<IncidentsPart>;
  /** Maintenance under way or upcoming, the components it covers by id (the page names them from its own read). */
  maintenances: Promise<OpenMaintenance[]>;
}

/** How the status page reads its rows: all of them, or what changed (KeptStatusPageRows). */
export type StatusPageRowsReader = (db: DbOrTx, since: Date) => StatusPageReading;

const readComponents = (db: DbOrTx): Promise<ComponentsPart> => Promise.all([listComponents(db), listGroups(db)]);
const readIncidents = (db: DbOrTx, since: Date): Promise<IncidentsPart> => Promise.all([listCurrentIncidents(db, since), listCurrentUpdates(db, since)]);

/** Every row, read now, in one wave. */
export const readStatusPageRows: StatusPageRowsReader = (db, since) => ({
  components: readComponents(db),
  incidents: readIncidents(db, since),
  maintenances: listOpenMaintenanceRows(db),
});

/**
 * The status page's rows, with the incidents and the maintenance kept between renders and read
 * again only when their number in `public_versions` moved: after a component's status changes,
 * a render reads the one-row numbers with the groups and the components (all in one
 * statement, the components read every time), not the incidents and their updates. The
 * numbers are moved by triggers in every writing transaction, so a write by any path or
 * process is seen.
 *
 * The numbers are read before the parts they gate: rows read after them are at least as new as
 * they say, so rows kept under a number are the database's for as long as it has not moved.
 * Renders running side by side (one per language) share one read.
 */
export class KeptStatusPageRows {
  /** How many parts were read, and how many were taken as kept: for the tests. */
  readonly counts = { read: 0, kept: 0 };
  private readonly incidents = new HeldRead<IncidentsPart>(this.counts);
  private readonly maintenances = new HeldRead<OpenMaintenance[]>(this.counts);

  readonly read: StatusPageRowsReader = (db, since) => {
    const snapshot = readPublicSnapshot(db);
    const versions = snapshot.then((read) => read.versions);
    return {
      components: snapshot.then((read) => [read.components, read.groups]),
      incidents: versions.then((v) => this.incidents.get(`${v.incidents}|${since.toISOString()}`, () => readIncidents(db, since)).value),
      // Kept whatever happens to the components: they are named from the render's own read of them.
      maintenances: versions.then((v) => this.maintenances.get(String(v.maintenance), () => listOpenMaintenanceRows(db)).value),
    };
  };

}
