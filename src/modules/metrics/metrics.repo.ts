import { count, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidents } from '../../db/schema/index.js';

/** Unresolved incidents by severity and draft state: one grouped count. */
export function countOpenIncidents(db: DbOrTx) {
  return db
    .select({ severity: incidents.severity, draft: incidents.draft, n: count() })
    .from(incidents)
    .where(isNull(incidents.resolvedAt))
    .groupBy(incidents.severity, incidents.draft);
}

/**
 * Cumulative histogram of time to first public update over every public incident, in one
 * aggregate: how many took at most each bucket's seconds, the count and the sum. Part-seconds
 * round up and an update before a backfilled detection counts as 0, as in the response clocks.
 */
export async function firstUpdateHistogram(db: DbOrTx, buckets: readonly number[]) {
  const perIncident = sql`
    select greatest(0, ceil(extract(epoch from min(u.published_at) - i.detected_at))) as s
    from incidents i join incident_updates u on u.incident_id = i.id
    where not i.draft and u.published_at is not null
    group by i.id`;
  const bucketColumns = sql.join(
    buckets.map((b, index) => sql`count(*) filter (where s <= ${b})::int as ${sql.identifier(`b${index}`)}`),
    sql`, `,
  );
  const result = await db.execute(sql`select ${bucketColumns}, count(*)::int as n, coalesce(sum(s), 0)::float8 as total from (${perIncident}) t`);
  const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as Record<string, number | string>;
  return {
    buckets: buckets.map((_, index) => Number(row[`b${index}`])),
    count: Number(row.n),
    sum: Number(row.total),
  };
}
