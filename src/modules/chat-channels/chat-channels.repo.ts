import { and, asc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { chatChannels, incidents, postmortems } from '../../db/schema/index.js';

export type ChatChannelRow = typeof chatChannels.$inferSelect;

export function listChannels(db: DbOrTx): Promise<ChatChannelRow[]> {
  return db.select().from(chatChannels).orderBy(asc(chatChannels.createdAt), asc(chatChannels.id));
}

export async function findChannel(db: DbOrTx, id: string, { lock = false } = {}): Promise<ChatChannelRow | undefined> {
  const query = db.select().from(chatChannels).where(eq(chatChannels.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function insertChannel(db: DbOrTx, values: typeof chatChannels.$inferInsert): Promise<ChatChannelRow> {
  const [row] = await db.insert(chatChannels).values(values).returning();
  return row!;
}

export async function updateChannel(db: DbOrTx, id: string, values: Partial<typeof chatChannels.$inferInsert>): Promise<ChatChannelRow | undefined> {
  const [row] = await db.update(chatChannels).set(values).where(eq(chatChannels.id, id)).returning();
  return row;
}

export async function deleteChannel(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(chatChannels).where(eq(chatChannels.id, id)).returning({ id: chatChannels.id });
  return rows.length > 0;
}

/** Staff channels that hear the digest, the candidates of a digest round. */
export function listDigestChannels(db: DbOrTx): Promise<ChatChannelRow[]> {
  return db
    .select()
    .from(chatChannels)
    .where(and(eq(chatChannels.audience, 'staff'), sql`'digest' = ANY(${chatChannels.staffEvents})`));
}

/**
 * Claims channel `id`'s digest round at `now`: the row's `last_digest_at` moves to `now` only
 * if its last round is at least `digest_minutes` old, so of any number of processes asking at
 * once exactly one gets the row back and sends the round.
 */
export async function claimDigestRound(db: DbOrTx, id: string, now: Date): Promise<ChatChannelRow | undefined> {
  const due = or(
    isNull(chatChannels.lastDigestAt),
    lte(chatChannels.lastDigestAt, sql`${now.toISOString()}::timestamptz - make_interval(mins => ${chatChannels.digestMinutes})`),
  );
  const [row] = await db
    .update(chatChannels)
    .set({ lastDigestAt: now })
    .where(and(eq(chatChannels.id, id), due))
    .returning();
  return row;
}

/** How far back an overdue postmortem is still announced: older ones were told of, or are history. */
const POSTMORTEM_LOOKBACK = "interval '7 days'";

/** Resolved incidents whose postmortem is past due and not published (due within the last week). */
export function listPostmortemsOverdue(db: DbOrTx, now: Date) {
  const at = sql`${now.toISOString()}::timestamptz`;
  return db
    .select({ id: incidents.id, title: incidents.title, severity: incidents.severity, dueAt: incidents.postmortemDueAt })
    .from(incidents)
    .leftJoin(postmortems, eq(postmortems.incidentId, incidents.id))
    .where(
      and(
        isNotNull(incidents.resolvedAt),
        isNull(postmortems.publishedAt),
        lte(incidents.postmortemDueAt, at),
        gt(incidents.postmortemDueAt, sql`${at} - ${sql.raw(POSTMORTEM_LOOKBACK)}`),
      ),
    );
}
