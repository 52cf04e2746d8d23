import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { webhookSubscribers } from '../../db/schema/index.js';
import { Errors } from '../../core/errors.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import { checkWebhookUrl, UnsafeWebhookUrl, type Resolver } from '../../notifications/webhook-sender.js';
import { emptyCounts, webhookDeliveryStates } from '../../notifications/deliveries.repo.js';
import type { CreateWebhookInput, ListedWebhookView, WebhookView } from './subscribers.schemas.js';

type WebhookRow = typeof webhookSubscribers.$inferSelect;

const toView = (row: WebhookRow): WebhookView => ({
  id: row.id,
  url: row.url,
  description: row.description,
  createdAt: row.createdAt.toISOString(),
});

/** Every webhook subscriber, oldest first, with its delivery state. */
export async function listWebhooks(ctx: SystemContext): Promise<ListedWebhookView[]> {
  const [rows, states] = await Promise.all([
    ctx.db.select().from(webhookSubscribers).orderBy(asc(webhookSubscribers.createdAt)),
    webhookDeliveryStates(ctx.db),
  ]);
  return rows.map((row) => ({ ...toView(row), deliveries: states.get(row.id)?.counts ?? emptyCounts(), lastError: states.get(row.id)?.lastError ?? null }));
}

/** `urls` decides which addresses a webhook may call: how host names resolve, and whether private ones may. */
export async function createWebhook(
  ctx: ServiceContext,
  input: CreateWebhookInput,
  urls: { resolver: Resolver; allowPrivate: boolean },
): Promise<WebhookView & { secret: string }> {
  const now = ctx.clock();
  let url: URL;
  try {
    url = await checkWebhookUrl(input.url, urls.resolver, urls.allowPrivate);
  } catch (error) {
    if (error instanceof UnsafeWebhookUrl) throw new Errors.invalid(`The webhook URL ${error.message}`);
    throw error;
  }
  const secret = input.secret ?? randomBytes(32).toString('base64url');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookSubscribers)
      .values({ url: url.toString(), secret, description: input.description ?? null, createdBy: ctx.actor.id, createdAt: now, updatedAt: now })
      .returning();
    // The secret stays out of the audit log.
    await recordAudit(tx, ctx.actor, { action: 'webhook.create', targetType: 'webhook', targetId: row!.id, after: { url: row!.url } }, now);
    return { ...toView(row!), secret };
  });
}

export async function deleteWebhook(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const rows = await tx.delete(webhookSubscribers).where(eq(webhookSubscribers.id, id)).returning({ id: webhookSubscribers.id });
    if (rows.length === 0) throw new Errors.notFound('Webhook', id);
    await recordAudit(tx, ctx.actor, { action: 'webhook.delete', targetType: 'webhook', targetId: id }, now);
  });
}
