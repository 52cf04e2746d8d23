import { asc, count, eq, ilike, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { chatChannels, components, subscribers, webhookSubscribers } from '../../db/schema/index.js';
import type { SubscriberRow, WebhookSubscriberRow } from '../../db/rows.js';
export type { SubscriberRow, WebhookSubscriberRow };


export async function findByEmail(db: DbOrTx, email: string, { lock = false } = {}): Promise<SubscriberRow | undefined> {
  const query = db.select().from(subscribers).where(sql`lower(${subscribers.email}) = lower(${email})`);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function findById(db: DbOrTx, id: string): Promise<SubscriberRow | undefined> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id));
  return row;
}

export async function findByConfirmHash(db: DbOrTx, hash: string): Promise<SubscriberRow | undefined> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.confirmTokenHash, hash)).for('update');
  return row;
}

export async function findByUnsubscribeHash(db: DbOrTx, hash: string): Promise<SubscriberRow | undefined> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.unsubscribeTokenHash, hash));
  return row;
}

export async function findWebhookByUnsubscribeHash(db: DbOrTx, hash: string): Promise<WebhookSubscriberRow | undefined> {
  const [row] = await db.select().from(webhookSubscribers).where(eq(webhookSubscribers.unsubscribeTokenHash, hash));
  return row;
}

export async function deleteWebhook(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(webhookSubscribers).where(eq(webhookSubscribers.id, id)).returning({ id: webhookSubscribers.id });
  return rows.length > 0;
}

/** Inserts, or does nothing if the address exists already (a concurrent subscribe). */
export async function insertSubscribers(db: DbOrTx, rows: Array<typeof subscribers.$inferInsert>): Promise<string[]> {
  const ids: string[] = [];
  // Twelve columns a row: 2,000 rows stay well below PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 2000) {
    const inserted = await db
      .insert(subscribers)
      .values(rows.slice(i, i + 2000))
      .onConflictDoNothing()
      .returning({ id: subscribers.id });
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

export async function updateSubscriber(db: DbOrTx, id: string, values: Partial<typeof subscribers.$inferInsert>): Promise<void> {
  await db.update(subscribers).set(values).where(eq(subscribers.id, id));
}

export async function deleteSubscriber(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(subscribers).where(eq(subscribers.id, id)).returning({ id: subscribers.id });
  return rows.length > 0;
}

/** Oldest first; `search` keeps the addresses containing it (any letter case, `%` and `_` taken literally). */
export function listSubscribers(db: DbOrTx, limit: number, offset: number, search = ''): Promise<SubscriberRow[]> {
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select()
    .from(subscribers)
    .where(search ? ilike(subscribers.email, pattern) : undefined)
    .orderBy(asc(subscribers.createdAt), asc(subscribers.id))
    .limit(limit)
    .offset(offset);
}

export async function countSubscribers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(subscribers);
  return Number(row?.n ?? 0);
}

/** Which of these component ids exist. */
export async function existingComponentIds(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: components.id }).from(components).where(inArray(components.id, ids));
  return new Set(rows.map((r) => r.id));
}

/** Whom an announcement reaches today: confirmed email subscribers and webhooks. */
export async function notificationReach(db: DbOrTx): Promise<{ emails: number; webhooks: number; chats: number }> {
  const [emails] = await db.select({ n: sql<number>`count(*)::int` }).from(subscribers).where(isNotNull(subscribers.confirmedAt));
  const [webhooks] = await db.select({ n: sql<number>`count(*)::int` }).from(webhookSubscribers);
  // Subscriber chat channels: staff channels hear no public event.
  const [chats] = await db.select({ n: sql<number>`count(*)::int` }).from(chatChannels).where(eq(chatChannels.audience, 'subscriber'));
  return { emails: emails?.n ?? 0, webhooks: webhooks?.n ?? 0, chats: chats?.n ?? 0 };
}
