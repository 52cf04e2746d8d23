import { asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidents, incidentUpdates, reminders, users } from '../../db/schema/index.js';
import type { ReminderKind } from '../../domain/reminders.js';
import type { ReminderRow } from '../../db/rows.js';
export type { ReminderRow };

export type ReminderUser = { id: string; email: string; name: string };

const publication = {
  incident: incidents,
  firstPublishedAt: sql<Date | null>`min(${incidentUpdates.publishedAt})`.mapWith(incidentUpdates.publishedAt),
  lastPublishedAt: sql<Date | null>`max(${incidentUpdates.publishedAt})`.mapWith(incidentUpdates.publishedAt),
};

/** Unresolved incidents, drafts included, with the bounds of their public updates: one query a tick. */
export function listUnresolvedWithPublication(db: DbOrTx) {
  return db
    .select(publication)
    .from(incidents)
    .leftJoin(incidentUpdates, eq(incidentUpdates.incidentId, incidents.id))
    .where(isNull(incidents.resolvedAt))
    .groupBy(incidents.id);
}

/** The same for one incident, read again inside the claiming transaction. */
export async function findWithPublication(db: DbOrTx, id: string) {
  const [row] = await db
    .select(publication)
    .from(incidents)
    .leftJoin(incidentUpdates, eq(incidentUpdates.incidentId, incidents.id))
    .where(eq(incidents.id, id))
    .groupBy(incidents.id);
  return row;
}

/**
 * The claim: a row for (incident, kind, due time) lands once, whichever process gets there
 * first; every other attempt, now or later, gets `undefined` and sends nothing.
 */
export async function claimReminder(
  db: DbOrTx,
  values: { incidentId: string; kind: ReminderKind; dueAt: Date; sentAt: Date; recipients: string[] },
): Promise<ReminderRow | undefined> {
  const [row] = await db.insert(reminders).values(values).onConflictDoNothing().returning();
  return row;
}

export function listReminders(db: DbOrTx, incidentId: string): Promise<ReminderRow[]> {
  return db.select().from(reminders).where(eq(reminders.incidentId, incidentId)).orderBy(asc(reminders.sentAt), asc(reminders.dueAt));
}

const userColumns = { id: users.id, email: users.email, name: users.name };

export async function findUsers(db: DbOrTx, ids: string[]): Promise<Map<string, ReminderUser>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select(userColumns).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((u) => [u.id, u]));
}

export function listOwners(db: DbOrTx): Promise<ReminderUser[]> {
  return db.select(userColumns).from(users).where(eq(users.role, 'owner')).orderBy(asc(users.createdAt));
}
