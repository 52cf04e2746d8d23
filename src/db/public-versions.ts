import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { jsonRows, rowsFromJson } from './json-rows.js';
import type { ComponentGroupRow, ComponentRow } from './rows.js';
import { preparedPer } from './prepared.js';
import { componentGroups, components, publicVersions } from './schema/index.js';

/** How many times each part of the public page's data has changed (see schema/public-versions.ts). */
export interface PublicVersions {
  components: number;
  incidents: number;
  maintenance: number;
}

const versions = preparedPer((db) =>
  db
    .select({ components: publicVersions.components, incidents: publicVersions.incidents, maintenance: publicVersions.maintenance })
    .from(publicVersions)
    .prepare('read_public_versions'),
);

/**
 * The numbers as of now. Rows read after this are at least as new as the numbers say: a
 * transaction moves a number at its commit, with its data.
 */
export async function readPublicVersions(db: DbOrTx): Promise<PublicVersions> {
  const [row] = await versions(db).execute();
  if (!row) throw new Error('public_versions has no row: the database was not migrated');
  return row;
}

const versionsWithComponents = preparedPer((db) =>
  db
    .select({
      components: publicVersions.components,
      incidents: publicVersions.incidents,
      maintenance: publicVersions.maintenance,
      groupRows: jsonRows(componentGroups, sql`${componentGroups.position}, ${componentGroups.name}`),
      componentRows: jsonRows(components, sql`${components.position}, ${components.name}`),
    })
    .from(publicVersions)
    .prepare('read_public_versions_with_components'),
);

/** The numbers, with the components and their groups as they were when the numbers were. */
export interface PublicSnapshot {
  versions: PublicVersions;
  /** By position, then name: page order. */
  groups: ComponentGroupRow[];
  /** By position, then name, as listComponents orders them (the page places them in their groups). */
  components: ComponentRow[];
}

/**
 * The numbers, the component groups and the components, in one statement and one snapshot:
 * the status page reads all three at every render (the components' statuses change most), and
 * a statement costs a round trip, two system calls and the driver's work whatever it reads.
 */
export async function readPublicSnapshot(db: DbOrTx): Promise<PublicSnapshot> {
  const [row] = await versionsWithComponents(db).execute();
  if (!row) throw new Error('public_versions has no row: the database was not migrated');
  const { groupRows, componentRows, ...versions } = row;
  return { versions, groups: rowsFromJson(componentGroups, groupRows), components: rowsFromJson(components, componentRows) };
}
