import { sql } from 'drizzle-orm';
import { incidents, incidentUpdates } from '../../db/schema/index.js';

/** Whether a public incident touched the component in any published update. */
export const touchesComponent = (componentId: string) => sql`exists (
  select 1 from ${incidentUpdates} as touched
  where touched.incident_id = ${incidents.id} and touched.published_at is not null
    and touched.component_statuses ? ${componentId})`;
