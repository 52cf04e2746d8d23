import { and, asc, desc, eq, gt, gte, lte, sql, type Column, type SQLChunk } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../../db/client.js';
import { preparedPer } from '../../db/prepared.js';
import { components, componentStatusChanges, componentUptimeDays } from '../../db/schema/index.js';
import { changeDeltas, type DayTotals } from '../../domain/uptime-days.js';
import type { StatusChange, StatusDurations } from '../../domain/uptime.js';
import { COMPONENT_STATUSES, type ComponentStatus } from '../../domain/vocabulary.js';
import { utcDay } from '../../text/time.js';

/**
 * A component's uptime per UTC day, kept by the same transaction as each status change
 * (src/domain/uptime-days.ts has the arithmetic), and read back for the uptime bars.
 */

const t = componentStatusChanges;
const u = componentUptimeDays;

/** The columns of a day's row, by the status each counts. */
const COLUMNS = {
  operational: 'operationalMs',
  under_maintenance: 'underMaintenanceMs',
  degraded_performance: 'degradedPerformanceMs',
  partial_outage: 'partialOutageMs',
  major_outage: 'majorOutageMs',
} as const satisfies Record<ComponentStatus, keyof typeof u.$inferSelect>;

const columnOf = (status: ComponentStatus) => u[COLUMNS[status]];

/**
 * Records a status change in the component's history and adds what it closes to the day
 * totals, in the caller's transaction. The caller holds the component's row lock (every writer
 * takes it), so no other change of this component slips between the reads and the writes.
 */
export async function recordStatusChange(tx: Tx, change: typeof t.$inferInsert): Promise<void> {
  const of = eq(t.componentId, change.componentId);
  const point = { at: t.changedAt, status: t.toStatus };
  // The new row's id is the highest, so it comes after the changes of its own instant.
  const [[previous], [next]] = await Promise.all([
    tx.select(point).from(t).where(and(of, lte(t.changedAt, change.changedAt))).orderBy(desc(t.changedAt), desc(t.id)).limit(1),
    tx.select(point).from(t).where(and(of, gt(t.changedAt, change.changedAt))).orderBy(asc(t.changedAt), asc(t.id)).limit(1),
  ]);
  await tx.insert(t).values(change);
  const deltas = changeDeltas({ at: change.changedAt, status: change.toStatus }, previous ?? null, next ?? null);
  await addToDays(tx, change.componentId, deltas);
  // Readers that keep this component's days (the public page's) see that they must read them again.
  await tx
    .update(components)
    .set({ uptimeRevision: sql`${components.uptimeRevision} + 1` })
    .where(eq(components.id, change.componentId));
}

/**
 * Adds signed milliseconds to a component's days. The rows are made first and the deltas added
 * by one UPDATE: an upsert would check its proposed row, negative amounts included, against
 * the table's CHECK before finding the row it updates.
 */
async function addToDays(tx: Tx, componentId: string, deltas: readonly DayTotals[]): Promise<void> {
  if (deltas.length === 0) return;
  await tx
    .insert(u)
    .values(deltas.map((d) => ({ componentId, day: d.date })))
    .onConflictDoNothing();
  const list = (parts: SQLChunk[]) => sql.join(parts, sql`, `);
  const values = list(deltas.map((d) => sql`(${d.date}::date, ${list(COMPONENT_STATUSES.map((s) => sql`${d.durations[s]}::integer`))})`));
  const names = list(COMPONENT_STATUSES.map((s) => sql.identifier(columnOf(s).name)));
  await tx
    .update(u)
    .set(Object.fromEntries(COMPONENT_STATUSES.map((s) => [COLUMNS[s], sql`${columnOf(s)} + delta.${sql.identifier(columnOf(s).name)}`])))
    .from(sql`(VALUES ${values}) AS delta (day, ${names})`)
    .where(and(eq(u.componentId, componentId), eq(u.day, sql`delta.day`)));
}

export interface KeptUptime {
  /** Each component's day totals inside the window. */
  days: Array<{ componentId: string } & DayTotals>;
  /** Each component's last change at or before now, then any after now; oldest first per component. */
  recent: Array<{ componentId: string } & StatusChange>;
}

// The uptime reads are prepared statements (see preparedPer): the status page runs them after
// every status change. Their components go in as one array, so one statement serves any number.
const ids = sql.placeholder('ids');
const isOneOf = (column: Column) => sql`${column} = any(${ids}::uuid[])`;
const idArray = (componentIds: readonly string[]) => `{${componentIds.join(',')}}`;

/** A day's row as the read below sends it: the day, then its milliseconds in each status, in COMPONENT_STATUSES' order. */
type DayTuple = [string, ...number[]];

/**
 * A component's days as one JSON array of DayTuples, its columns as `of` names them (the table's,
 * or an alias's): mapping 90 rows of 7 columns each, field by field, cost more than the query
 * itself (0.8 ms of CPU for one component).
 */
const dayTuples = (of: (column: Column) => SQLChunk) =>
  sql<DayTuple[]>`json_agg(json_build_array(${of(u.day)}, ${sql.join(
    COMPONENT_STATUSES.map((s) => of(columnOf(s))),
    sql`, `,
  )}) order by ${of(u.day)})`;

/** `column` of the rows named `alias` in a statement. */
const aliased = (alias: string) => (column: Column) => sql`${sql.identifier(alias)}.${sql.identifier(column.name)}`;

const daysFrom = preparedPer((db) =>
  db
    .select({ componentId: u.componentId, days: dayTuples((column) => column) })
    .from(u)
    .where(and(isOneOf(u.componentId), gte(u.day, sql.placeholder('fromDay'))))
    .groupBy(u.componentId)
    .orderBy(u.componentId)
    .prepare('load_uptime_days'),
);

const durationsOf = (tuple: DayTuple): StatusDurations => {
  const durations = {} as StatusDurations;
  COMPONENT_STATUSES.forEach((s, i) => (durations[s] = tuple[i + 1] as number));
  return durations;
};

/** Each component's day totals from `fromDay` on (UTC days, YYYY-MM-DD), in day order. */
export async function loadUptimeDays(db: DbOrTx, componentIds: string[], fromDay: string): Promise<KeptUptime['days']> {
  if (componentIds.length === 0) return [];
  const rows = await daysFrom(db).execute({ ids: idArray(componentIds), fromDay });
  return rows.flatMap((row) => row.days.map((day) => ({ componentId: row.componentId, date: day[0], durations: durationsOf(day) })));
}

const recentChanges = preparedPer((db) => {
  const now = sql.placeholder('now');
  const point = { componentId: t.componentId, status: t.toStatus, at: t.changedAt, id: t.id };
  // Per component, one backward step of the (component_id, changed_at) index: its last change.
  const last = db
    .select(point)
    .from(t)
    .where(and(eq(t.componentId, components.id), lte(t.changedAt, now)))
    .orderBy(desc(t.changedAt), desc(t.id))
    .limit(1)
    .as('last');
  return unionAll(
    db
      .select({ componentId: last.componentId, status: last.status, at: last.at, id: last.id })
      .from(components)
      .crossJoinLateral(last)
      .where(isOneOf(components.id)),
    db.select(point).from(t).where(and(isOneOf(t.componentId), gt(t.changedAt, now))),
  ).prepare('load_recent_changes');
});

/**
 * Each component's last change at or before `now`, then any after `now` (only when another
 * process's clock runs ahead of this one's); oldest first.
 */
export async function loadRecentChanges(db: DbOrTx, componentIds: string[], now: Date): Promise<KeptUptime['recent']> {
  if (componentIds.length === 0) return [];
  const recent = await recentChanges(db).execute({ ids: idArray(componentIds), now: now.toISOString() });
  return recent
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)
    .map(({ componentId, status, at }) => ({ componentId, status, at }));
}

/**
 * What the uptime bars of the given components need, in two queries whatever their number
 * and their history's length: at most `days` rows of totals per component, and the changes
 * around `now`.
 */
export async function loadKeptUptime(db: DbOrTx, componentIds: string[], windowStart: Date, now: Date): Promise<KeptUptime> {
  const today = utcDay(now);
  const [days, recent] = await Promise.all([loadUptimeDays(db, componentIds, utcDay(windowStart)), loadRecentChanges(db, componentIds, now)]);
  return { days: days.filter((d) => d.date <= today), recent };
}

/** A change as the read below sends it: its status, its instant in epoch milliseconds, its id. */
type ChangeTuple = [ComponentStatus, number, number];

/** One showcased component's uptime days and recent changes, as of `revision`. */
export interface ComponentUptimeAt {
  componentId: string;
  /** The component's uptime revision, read by the same statement as the days and changes. */
  revision: number;
  days: KeptUptime['days'];
  /** Its last change at or before `now`, then any after `now`; oldest first. */
  recent: KeptUptime['recent'];
}

/**
 * The days and recent changes of every showcased component but those `known` at their current
 * uptime revision, in one statement: with the revision it read them at, from the same snapshot,
 * so a reader that keeps them by revision can start this read before it knows which
 * components moved (alongside its read of the components), and trust what it gets.
 */
const movedUptime = preparedPer((db) => {
  const now = sql.placeholder('now');
  const [d, c, r] = [aliased('d'), aliased('c'), aliased('r')];
  const change = sql`${c(t.toStatus)}, ${c(t.changedAt)}, ${c(t.id)}`;
  const ofComponent = sql`${c(t.componentId)} = ${components.id}`;
  return db
    .select({
      componentId: components.id,
      revision: components.uptimeRevision,
      days: sql<DayTuple[] | null>`(select ${dayTuples(d)}
        from ${u} d where ${d(u.componentId)} = ${components.id} and ${d(u.day)} >= ${sql.placeholder('fromDay')})`,
      recent: sql<ChangeTuple[] | null>`(select json_agg(json_build_array(${r(t.toStatus)}, floor(extract(epoch from ${r(t.changedAt)}) * 1000)::bigint, ${r(t.id)}) order by ${r(t.changedAt)}, ${r(t.id)})
        from ((select ${change} from ${t} c where ${ofComponent} and ${c(t.changedAt)} <= ${now} order by ${c(t.changedAt)} desc, ${c(t.id)} desc limit 1)
          union all (select ${change} from ${t} c where ${ofComponent} and ${c(t.changedAt)} > ${now})) r)`,
    })
    .from(components)
    .where(
      and(
        eq(components.showcase, true),
        sql`(${components.id}, ${components.uptimeRevision}) not in (select * from unnest(${ids}::uuid[], ${sql.placeholder('revisions')}::integer[]))`,
      ),
    )
    .prepare('load_moved_uptime');
});

/**
 * Every showcased component's days from `fromDay` on and recent changes around `now`, but those
 * of the components `known` at the uptime revision they are at.
 */
export async function loadMovedUptime(db: DbOrTx, known: ReadonlyMap<string, number>, fromDay: string, now: Date): Promise<ComponentUptimeAt[]> {
  const rows = await movedUptime(db).execute({ ids: idArray([...known.keys()]), revisions: `{${[...known.values()].join(',')}}`, fromDay, now: now.toISOString() });
  return rows.map(({ componentId, revision, days, recent }) => ({
    componentId,
    revision,
    days: (days ?? []).map((day) => ({ componentId, date: day[0], durations: durationsOf(day) })),
    recent: (recent ?? []).map(([status, at]) => ({ componentId, status, at: new Date(at) })),
  }));
}
