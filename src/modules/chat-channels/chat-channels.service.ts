import { Errors } from '../../core/errors.js';
import { DIGEST_MINUTES, STAFF_EVENTS, type StaffEvent } from '../../domain/notification-vocabulary.js';
import { simpleMessage } from '../../notifications/chat/message.js';
import { chatDeliveryStates, emptyCounts } from '../../notifications/deliveries.repo.js';
import { enqueueChatTest } from '../../notifications/outbox.js';
import { checkWebhookUrl, UnsafeWebhookUrl, type Resolver } from '../../notifications/webhook-sender.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import { checkComponents } from '../subscribers/index.js';
import type { ChatChannelView, CreateChatChannelInput, ListedChatChannelView, UpdateChatChannelInput } from './chat-channels.schemas.js';
import * as repo from './chat-channels.repo.js';

/**
 * An incoming-webhook URL is a bearer secret (whoever holds it posts to the channel): it is
 * shown as its scheme and host and its last four characters, enough to tell two apart.
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const rest = `${url.pathname}${url.search}`;
    return `${url.protocol}//${url.host}/…${rest.length > 8 ? rest.slice(-4) : ''}`;
  } catch {
    return '…';
  }
}

const toView = (row: repo.ChatChannelRow): ChatChannelView => ({
  id: row.id,
  platform: row.platform,
  name: row.name,
  url: maskUrl(row.url),
  audience: row.audience,
  componentIds: row.componentIds,
  staffEvents: row.staffEvents,
  digestMinutes: row.digestMinutes,
  lastDigestAt: row.lastDigestAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

/** Every chat channel, oldest first, with how its deliveries stand. */
export async function listChatChannels(ctx: SystemContext): Promise<ListedChatChannelView[]> {
  const [rows, states] = await Promise.all([repo.listChannels(ctx.db), chatDeliveryStates(ctx.db)]);
  return rows.map((row) => ({ ...toView(row), deliveries: states.get(row.id)?.counts ?? emptyCounts(), lastError: states.get(row.id)?.lastError ?? null }));
}

/** Which addresses a channel may post to: validated as a webhook subscriber's URL is. */
export interface UrlPolicy {
  resolver: Resolver;
  allowPrivate: boolean;
}

async function checkedUrl(raw: string, urls: UrlPolicy): Promise<string> {
  try {
    return (await checkWebhookUrl(raw, urls.resolver, urls.allowPrivate)).toString();
  } catch (error) {
    if (error instanceof UnsafeWebhookUrl) throw new Errors.invalid(`The chat webhook URL ${error.message}`);
    throw error;
  }
}

/** A subscriber channel narrows by component and hears no staff event; a staff channel the reverse. */
function audienceRules(audience: 'subscriber' | 'staff', componentIds: string[] | undefined, staffEvents: readonly StaffEvent[] | undefined) {
  if (audience === 'subscriber' && staffEvents && staffEvents.length > 0) throw new Errors.invalid('A subscriber channel hears public events only: staffEvents is for staff channels');
  if (audience === 'staff' && componentIds && componentIds.length > 0) throw new Errors.invalid('A staff channel is not narrowed to components: componentIds is for subscriber channels');
}

export async function createChatChannel(ctx: ServiceContext, input: CreateChatChannelInput, urls: UrlPolicy): Promise<ChatChannelView> {
  const now = ctx.clock();
  audienceRules(input.audience, input.componentIds, input.staffEvents);
  const url = await checkedUrl(input.url, urls);
  return ctx.db.transaction(async (tx) => {
    const componentIds = await checkComponents(tx, input.componentIds ?? []);
    const staffEvents = input.audience === 'staff' ? [...(input.staffEvents ?? STAFF_EVENTS)] : [];
    const row = await repo.insertChannel(tx, {
      platform: input.platform,
      url,
      name: input.name,
      audience: input.audience,
      componentIds,
      staffEvents,
      digestMinutes: input.digestMinutes ?? DIGEST_MINUTES.default,
      createdBy: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    // The URL stays out of the audit log: it is the channel's secret.
    const after = { platform: row.platform, name: row.name, audience: row.audience, componentIds, staffEvents, digestMinutes: row.digestMinutes };
    await recordAudit(tx, ctx.actor, { action: 'chat_channel.create', targetType: 'chat_channel', targetId: row.id, after }, now);
    return toView(row);
  });
}

/**
 * `precondition` runs on the channel once it is locked, before anything changes: it throws to
 * refuse the write (a console form opened on another version of the channel).
 */
export async function updateChatChannel(
  ctx: ServiceContext,
  id: string,
  input: UpdateChatChannelInput,
  precondition?: (before: repo.ChatChannelRow) => void,
): Promise<ChatChannelView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findChannel(tx, id, { lock: true });
    if (!before) throw new Errors.notFound('Chat channel', id);
    precondition?.(before);
    audienceRules(before.audience, input.componentIds, input.staffEvents);
    const componentIds = input.componentIds ? await checkComponents(tx, input.componentIds) : undefined;
    const row = (await repo.updateChannel(tx, id, {
      name: input.name,
      componentIds,
      staffEvents: input.staffEvents ? [...input.staffEvents] : undefined,
      digestMinutes: input.digestMinutes,
      updatedAt: now,
    }))!;
    const pick = (r: repo.ChatChannelRow) => ({ name: r.name, componentIds: r.componentIds, staffEvents: r.staffEvents, digestMinutes: r.digestMinutes });
    await recordAudit(tx, ctx.actor, { action: 'chat_channel.update', targetType: 'chat_channel', targetId: id, before: pick(before), after: pick(row) }, now);
    return toView(row);
  });
}

export async function deleteChatChannel(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteChannel(tx, id))) throw new Errors.notFound('Chat channel', id);
    await recordAudit(tx, ctx.actor, { action: 'chat_channel.delete', targetType: 'chat_channel', targetId: id }, now);
  });
}

/** Queues a test message to one channel, through the outbox like any other: its outcome shows in the list. */
export async function testChatChannel(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const channel = await repo.findChannel(tx, id);
    if (!channel) throw new Errors.notFound('Chat channel', id);
    const message = simpleMessage({
      title: `Test message from ${ctx.site.pageName}`,
      summary: `This channel (“${channel.name}”) is connected. ${channel.audience === 'staff' ? 'It will receive staff alerts.' : 'It will receive public status updates.'}`,
      links: [{ label: 'Status page', url: `${ctx.site.publicUrl}/` }],
      footer: ctx.site.pageName,
    });
    await enqueueChatTest(tx, id, message, now);
    await recordAudit(tx, ctx.actor, { action: 'chat_channel.test', targetType: 'chat_channel', targetId: id }, now);
  });
}
