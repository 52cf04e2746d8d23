import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable } from 'drizzle-orm/pg-core';

/**
 * How many times each part of the public page's data has changed: one row (id 1), moved on by
 * triggers in the transaction of every write to the tables named (drizzle/0014_public_versions.sql
 * and 0015_incident_public_parts.sql), whichever process or path made it. The status page and
 * the Statuspage API read this row with the components, and read the incidents and the
 * maintenance again only when their number moved.
 */
export const publicVersions = pgTable(
  'public_versions',
  {
    id: integer('id').primaryKey().default(1),
    /** components, component_groups */
    components: bigint('components', { mode: 'number' }).notNull().default(0),
    /** incidents, incident_updates, postmortems, and component_status_changes made by an incident */
    incidents: bigint('incidents', { mode: 'number' }).notNull().default(0),
    /** maintenances, maintenance_components, maintenance_updates */
    maintenance: bigint('maintenance', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('public_versions_single_row', sql`${t.id} = 1`)],
);
