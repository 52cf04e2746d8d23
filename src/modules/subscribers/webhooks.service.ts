import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webhookSubscribers } from '../../db/schema/index.js';
import { Errors } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';
import { recordAudit } from '../audit/index.js';
import { checkWebhookUrl, UnsafeWebhookUrl, type Resolver } from '../../notifications/webhook-sender.js';
import type { CreateWebhookInput, WebhookView } from './subscribers.schemas.js';

type WebhookRow = typeof webhookSubscribers.$inferSelect;

const toView = (row: WebhookRow): WebhookView => ({
  id: row.id,
  url: row.url,
  description: row.description,
  createdAt: row.createdAt.toISOString(),
});

export async function listWebhooks(db: Db): Promise<WebhookView[]> {
  return (await db.select().from(webhookSubscribers).orderBy(asc(webhookSubscribers.createdAt))).map(toView);
}

export async function createWebhook(
  ctx: { db: Db; now: Date; resolver: Resolver; allowPrivate: boolean },
  input: CreateWebhookInput,
  actor: Actor,
): Promise<WebhookView & { secret: string }> {
  let url: URL;
  try {
    url = await checkWebhookUrl(input.url, ctx.resolver, ctx.allowPrivate);
  } catch (error) {
    if (error instanceof UnsafeWebhookUrl) throw new Errors.invalid(`The webhook URL ${error.message}`);
    throw error;
  }
  const secret = input.secret ?? randomBytes(32).toString('base64url');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookSubscribers)
      .values({ url: url.toString(), secret, description: input.description ?? null, createdBy: actor.id, createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    // The secret stays out of the audit log.
    await recordAudit(tx, actor, { action: 'webhook.create', targetType: 'webhook', targetId: row!.id, after: { url: row!.url } });
    return { ...toView(row!), secret };
  });
}

export async function deleteWebhook(db: Db, id: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.delete(webhookSubscribers).where(eq(webhookSubscribers.id, id)).returning({ id: webhookSubscribers.id });
    if (rows.length === 0) throw new Errors.notFound('Webhook', id);
    await recordAudit(tx, actor, { action: 'webhook.delete', targetType: 'webhook', targetId: id });
  });
}
