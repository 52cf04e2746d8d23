import { randomBytes, randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { webhookSubscribers } from '../../db/schema/index.js';
import { Errors } from '../../core/errors.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import type { SubscriberTokens } from '../../notifications/subscriber-tokens.js';
import { checkWebhookUrl, UnsafeWebhookUrl, type Resolver } from '../../notifications/webhook-sender.js';
import { emptyCounts, webhookDeliveryStates } from '../../notifications/deliveries.repo.js';
import { checkComponents } from './subscribe.service.js';
import type { CreateWebhookInput, ListedWebhookView, WebhookView } from './subscribers.schemas.js';
import * as repo from './subscribers.repo.js';

const toView = (row: repo.WebhookSubscriberRow): WebhookView => ({
  id: row.id,
  url: row.url,
  description: row.description,
  componentIds: row.componentIds,
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

/**
 * `urls` decides which addresses a webhook may call: how host names resolve, and whether private
 * ones may. `tokens` makes its unsubscribe link, as an email subscriber's. With `componentIds`
 * it hears only of what touches those components, as an email subscriber does.
 */
export async function createWebhook(
  ctx: ServiceContext,
  input: CreateWebhookInput,
  urls: { resolver: Resolver; allowPrivate: boolean },
  tokens: SubscriberTokens,
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
  const id = randomUUID();
  const unsubscribe = tokens.issue('unsubscribe', id);
  return ctx.db.transaction(async (tx) => {
    const componentIds = await checkComponents(tx, input.componentIds ?? []);
    const [row] = await tx
      .insert(webhookSubscribers)
      .values({
        id,
        url: url.toString(),
        secret,
        description: input.description ?? null,
        componentIds,
        unsubscribeNonce: unsubscribe.nonce,
        unsubscribeTokenHash: unsubscribe.hash,
        createdBy: ctx.actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    // The secret stays out of the audit log.
    await recordAudit(tx, ctx.actor, { action: 'webhook.create', targetType: 'webhook', targetId: id, after: { url: row!.url, componentIds } }, now);
    return { ...toView(row!), secret };
  });
}

export async function deleteWebhook(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteWebhook(tx, id))) throw new Errors.notFound('Webhook', id);
    await recordAudit(tx, ctx.actor, { action: 'webhook.delete', targetType: 'webhook', targetId: id }, now);
  });
}
