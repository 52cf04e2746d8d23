import type { DbOrTx } from './client.js';
import { preparedPer } from './prepared.js';
import { publicVersions } from './schema/index.js';

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
