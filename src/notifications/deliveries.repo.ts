import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { chatChannels, notificationDeliveries as d, notifications, subscribers, webhookSubscribers } from '../db/schema/index.js';
import type { ChatPlatform } from '../domain/notification-vocabulary.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../domain/notification-vocabulary.js';

/** A claimed delivery with everything needed to send it. */
export interface ClaimedDelivery {
  id: string;
  channel: 'email' | 'webhook' | 'chat';
  attempts: number;
  recipient: string | null;
  notification: {
    id: string;
    kind: string;
    incidentId: string | null;
    subject: string;
    text: string;
    html: string | null;
    webhookPayload: unknown;
    chatMessage: unknown;
    /** The mail in the subscriber's language, when it was written in it. */
    localizedMail: { subject: string; text: string; html: string | null } | null;
  };
  subscriber: { id: string; email: string; unsubscribeNonce: string; confirmNonce: string | null; language: string | null } | null;
  webhook: { id: string; url: string; secret: string; unsubscribeNonce: string | null } | null;
  chat: { id: string; platform: ChatPlatform; url: string } | null;
}

/**
 * Claims up to `limit` due deliveries for this worker until `leaseUntil`. `SKIP LOCKED` lets
 * several workers claim at once without waiting on, or taking, each other's rows; a lease that
 * runs out (its worker died mid-send) makes the row due again.
 */
export async function claimDue(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  // One statement: the subquery locks due rows no other worker holds, the update leases them.
  const due = db
    .select({ id: d.id })
    .from(d)
    .where(and(inArray(d.status, ['pending', 'failed']), lte(d.nextAttemptAt, now), or(isNull(d.leaseUntil), lte(d.leaseUntil, now))))
    .orderBy(asc(d.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const leased = await db.update(d).set({ leaseUntil }).where(inArray(d.id, due)).returning({ id: d.id });
  const ids = leased.map((row) => row.id);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: d.id,
      channel: d.channel,
      attempts: d.attempts,
      recipient: d.recipient,
      notification: {
        id: notifications.id,
        kind: notifications.kind,
        incidentId: notifications.incidentId,
        subject: notifications.subject,
        text: notifications.text,
        html: notifications.html,
        webhookPayload: notifications.webhookPayload,
        chatMessage: notifications.chatMessage,
        // Only the subscriber's own language leaves the database, not every translation.
        localizedMail: sql<{ subject: string; text: string; html: string | null } | null>`${notifications.localizedMails} -> ${subscribers.language}`,
      },
      language: subscribers.language,
      subscriberId: subscribers.id,
      email: subscribers.email,
      unsubscribeNonce: subscribers.unsubscribeNonce,
      confirmNonce: subscribers.confirmNonce,
      webhookId: webhookSubscribers.id,
      url: webhookSubscribers.url,
      secret: webhookSubscribers.secret,
      webhookUnsubscribeNonce: webhookSubscribers.unsubscribeNonce,
      chatId: chatChannels.id,
      chatPlatform: chatChannels.platform,
      chatUrl: chatChannels.url,
    })
    .from(d)
    .innerJoin(notifications, eq(notifications.id, d.notificationId))
    .leftJoin(subscribers, eq(subscribers.id, d.subscriberId))
    .leftJoin(webhookSubscribers, eq(webhookSubscribers.id, d.webhookId))
    .leftJoin(chatChannels, eq(chatChannels.id, d.chatChannelId))
    .where(inArray(d.id, ids))
    // Oldest first, as claimed: a receiver hears an incident's creation before its next update.
    .orderBy(asc(d.nextAttemptAt), asc(d.createdAt), asc(notifications.createdAt));
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    attempts: row.attempts,
    recipient: row.recipient,
    notification: row.notification,
    subscriber: row.subscriberId
      ? { id: row.subscriberId, email: row.email!, unsubscribeNonce: row.unsubscribeNonce!, confirmNonce: row.confirmNonce, language: row.language }
      : null,
    webhook: row.webhookId ? { id: row.webhookId, url: row.url!, secret: row.secret!, unsubscribeNonce: row.webhookUnsubscribeNonce } : null,
    chat: row.chatId ? { id: row.chatId, platform: row.chatPlatform!, url: row.chatUrl! } : null,
  }));
}

/**
 * The heartbeat: extends the lease of rows this worker still holds (claimed, not yet recorded)
 * to `until`. A row already recorded (sent, failed, dead: its lease cleared) is left alone, so
 * a beat racing the outcome's write cannot hold a retry back.
 */
export async function renewLeases(db: DbOrTx, ids: readonly string[], until: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(d)
    .set({ leaseUntil: until })
    .where(and(inArray(d.id, [...ids]), inArray(d.status, ['pending', 'failed']), isNotNull(d.leaseUntil)))
    .returning({ id: d.id });
  return rows.length;
}

/**
 * A stopping worker hands back rows it claimed and has not started: their lease ends `now`, so
 * the next worker (or this one after a restart) takes them at once instead of a lease later.
 */
export async function releaseLeases(db: DbOrTx, ids: readonly string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(d)
    .set({ leaseUntil: now })
    .where(and(inArray(d.id, [...ids]), inArray(d.status, ['pending', 'failed']), isNotNull(d.leaseUntil)))
    .returning({ id: d.id });
  return rows.length;
}

export async function markSent(db: DbOrTx, ids: Array<{ id: string; via: string }>, now: Date): Promise<void> {
  if (ids.length === 0) return;
  // Grouped by transport: one statement per batch, not one per mail.
  for (const via of new Set(ids.map((row) => row.via))) {
    const group = ids.filter((row) => row.via === via).map((row) => row.id);
    await db
      .update(d)
      .set({ status: 'sent', sentVia: via, sentAt: now, leaseUntil: null, lastError: null, attempts: sql`${d.attempts} + 1`, updatedAt: now })
      .where(inArray(d.id, group));
  }
}

export async function markFailed(
  db: DbOrTx,
  id: string,
  outcome: { status: 'failed'; nextAttemptAt: Date } | { status: 'dead' },
  error: string,
  now: Date,
): Promise<void> {
  await db
    .update(d)
    .set({
      status: outcome.status,
      nextAttemptAt: outcome.status === 'failed' ? outcome.nextAttemptAt : undefined,
      leaseUntil: null,
      lastError: error.slice(0, 2000),
      attempts: sql`${d.attempts} + 1`,
      updatedAt: now,
    })
    .where(eq(d.id, id));
}

/** Nothing to send any more (the subscriber confirmed, say): closes the row as sent, via nothing. */
export async function markSkipped(db: DbOrTx, id: string, reason: string, now: Date): Promise<void> {
  await db.update(d).set({ status: 'sent', sentVia: 'skipped', lastError: reason, leaseUntil: null, updatedAt: now }).where(eq(d.id, id));
}

export type DeliveryCounts = Record<DeliveryStatus, number>;

export const emptyCounts = (): DeliveryCounts => Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;

/** Per update of an incident: how many deliveries are pending, sent, failed and dead. */
export async function countsByUpdate(db: DbOrTx, incidentId: string): Promise<Map<string, DeliveryCounts>> {
  const rows = await db
    .select({ updateId: notifications.updateId, status: d.status, count: sql<number>`count(*)::int` })
    .from(d)
    .innerJoin(notifications, eq(notifications.id, d.notificationId))
    .where(eq(notifications.incidentId, incidentId))
    .groupBy(notifications.updateId, d.status);
  const counts = new Map<string, DeliveryCounts>();
  for (const row of rows) {
    if (!row.updateId) continue;
    const entry = counts.get(row.updateId) ?? emptyCounts();
    entry[row.status] += Number(row.count);
    counts.set(row.updateId, entry);
  }
  return counts;
}

/** Every delivery by state, for /metrics: one grouped count over the queue. */
export async function countsByState(db: DbOrTx): Promise<Array<{ state: DeliveryStatus; count: number }>> {
  const rows = await db.select({ state: d.status, count: sql<number>`count(*)::int` }).from(d).groupBy(d.status);
  return rows.map((row) => ({ state: row.state, count: Number(row.count) }));
}

export type DeliveryStates = Map<string, { counts: DeliveryCounts; lastError: string | null }>;

/** Per recipient in `column` (a webhook, a chat channel): its deliveries by state, and the error of its latest failed attempt. */
async function deliveryStatesBy(db: DbOrTx, column: typeof d.webhookId | typeof d.chatChannelId): Promise<DeliveryStates> {
  const [counted, errors] = await Promise.all([
    db
      .select({ ownerId: column, status: d.status, count: sql<number>`count(*)::int` })
      .from(d)
      .where(isNotNull(column))
      .groupBy(column, d.status),
    db
      .selectDistinctOn([column], { ownerId: column, lastError: d.lastError })
      .from(d)
      .where(and(isNotNull(column), isNotNull(d.lastError)))
      .orderBy(column, desc(d.updatedAt)),
  ]);
  const states: DeliveryStates = new Map();
  const stateOf = (id: string) => states.get(id) ?? states.set(id, { counts: emptyCounts(), lastError: null }).get(id)!;
  for (const row of counted) stateOf(row.ownerId!).counts[row.status] += Number(row.count);
  for (const row of errors) stateOf(row.ownerId!).lastError = row.lastError;
  return states;
}

export const webhookDeliveryStates = (db: DbOrTx) => deliveryStatesBy(db, d.webhookId);
export const chatDeliveryStates = (db: DbOrTx) => deliveryStatesBy(db, d.chatChannelId);

/**
 * Gives a webhook added before unsubscribe links existed its nonce and token hash, once: two
 * workers racing here both end with the nonce that was stored first.
 */
export async function issueWebhookUnsubscribe(db: DbOrTx, webhookId: string, issued: { nonce: string; hash: string }): Promise<string> {
  await db
    .update(webhookSubscribers)
    .set({ unsubscribeNonce: issued.nonce, unsubscribeTokenHash: issued.hash })
    .where(and(eq(webhookSubscribers.id, webhookId), isNull(webhookSubscribers.unsubscribeNonce)));
  const [row] = await db.select({ nonce: webhookSubscribers.unsubscribeNonce }).from(webhookSubscribers).where(eq(webhookSubscribers.id, webhookId));
  return row?.nonce ?? issued.nonce;
}
