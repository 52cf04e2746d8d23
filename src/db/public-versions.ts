import { asc, sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import type { ComponentGroupRow } from './rows.js';
import { preparedPer } from './prepared.js';
import { componentGroups, publicVersions } from './schema/index.js';

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

const versionsWithGroups = preparedPer((db) =>
  db
    .select({
      versions: { components: publicVersions.components, incidents: publicVersions.incidents, maintenance: publicVersions.maintenance },
      group: componentGroups,
    })
    .from(publicVersions)
    .leftJoin(componentGroups, sql`true`)
    .orderBy(asc(componentGroups.position), asc(componentGroups.name))
    .prepare('read_public_versions_with_groups'),
);

/**
 * The numbers, and the component groups in page order, in one statement: the status page reads
 * both at every render, and a statement costs a round trip and two system calls whatever it reads.
 */
export async function readPublicVersionsWithGroups(db: DbOrTx): Promise<{ versions: PublicVersions; groups: ComponentGroupRow[] }> {
  const rows = await versionsWithGroups(db).execute();
  if (!rows[0]) throw new Error('public_versions has no row: the database was not migrated');
  return { versions: rows[0].versions, groups: rows.flatMap((row) => (row.group ? [row.group] : [])) };
}
