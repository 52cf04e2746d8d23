import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { chatChannels, notificationDeliveries, notifications, subscribers, webhookSubscribers } from '../db/schema/index.js';
import { checkEmailAddress } from '../domain/email-address.js';
import { CHAT_TEST, DIRECT_MAIL, staffKind, SUBSCRIBER_CONFIRMATION, type StaffEvent } from '../domain/notification-vocabulary.js';
import { plainText, type ChatMessage } from './chat/message.js';
import { Errors } from '../core/errors.js';

/**
 * The notification outbox. Every function here writes inside the caller's transaction, so a
 * notification exists exactly when the change it announces does: nothing is lost if the process
 * dies after the commit, nothing is sent for a change that rolled back. The delivery worker
 * (`delivery-worker.ts`) sends what these functions queue.
 */

/** What a notification is about; a delivery's counts are shown per `updateId`. */
export interface NotificationRefs {
  incidentId?: string | null;
  updateId?: string | null;
  maintenanceId?: string | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  /** Optional; the worker sends text only without it. */
  html?: string | null;
}

/**
 * A self-contained, already-rendered event. The worker adds each recipient's unsubscribe link
 * at send time and nothing else.
 */
export interface Notification extends NotificationRefs {
  /** e.g. `incident.update`, `maintenance.scheduled`, `postmortem.published`. */
  kind: string;
  /**
   * The components the event touches. A subscriber with no componentIds gets every event; one
   * with chosen components gets only events touching one of them (an event touching none is
   * page-wide news for the page-wide subscribers), as Statuspage does.
   */
  componentIds: string[];
  mail: RenderedMail;
  /** The mail in each language it was written in: a subscriber gets the one of their language, or `mail`. */
  localizedMails?: Partial<Record<string, RenderedMail>>;
  /** The JSON POSTed to every webhook subscriber (Statuspage's webhook shape). */
  webhook: Record<string, unknown>;
  /** A repeat with the same key enqueues nothing (returns `notificationId: null`). */
  dedupeKey?: string;
}

export interface EnqueueResult {
  notificationId: string | null;
  emails: number;
  webhooks: number;
  /** Chat channels: subscriber channels for a public event, staff channels for a staff one. */
  chats: number;
}

type Audience = { emails: boolean; webhooks: boolean; chats: boolean };

const NOTHING = { emails: 0, webhooks: 0, chats: 0 };

async function insertNotification(
  tx: DbOrTx,
  values: typeof notifications.$inferInsert,
): Promise<string | null> {
  const [row] = await tx
    .insert(notifications)
    .values(values)
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return row?.id ?? null;
}

async function fanOut(tx: DbOrTx, notificationId: string, componentIds: string[], audience: Audience, now: Date) {
  let emails = 0;
  let webhooks = 0;
  let chats = 0;
  const ids = sql`ARRAY[${sql.join(componentIds.map((id) => sql`${id}`), sql`, `)}]::uuid[]`;
  // Email, webhook and chat subscribers are narrowed alike: by the components they chose.
  const reaches = (chosen: typeof subscribers.componentIds | typeof webhookSubscribers.componentIds | typeof chatChannels.componentIds) =>
    componentIds.length === 0 ? sql`cardinality(${chosen}) = 0` : sql`(cardinality(${chosen}) = 0 OR ${chosen} && ${ids})`;
  if (audience.emails) {
    // One set-based statement: ten thousand subscribers are one round trip, not ten thousand.
    const matches = reaches(subscribers.componentIds);
    const inserted = await tx
      .insert(notificationDeliveries)
      .select(
        tx
          .select({
            id: sql`gen_random_uuid()`.as('id'),
            notificationId: sql`${notificationId}::uuid`.as('notification_id'),
            channel: sql`'email'`.as('channel'),
            subscriberId: subscribers.id,
            webhookId: sql`NULL::uuid`.as('webhook_id'),
            chatChannelId: sql`NULL::uuid`.as('chat_channel_id'),
            recipient: sql`NULL::text`.as('recipient'),
            status: sql`'pending'`.as('status'),
            attempts: sql`0`.as('attempts'),
            nextAttemptAt: sql`${now.toISOString()}::timestamptz`.as('next_attempt_at'),
            leaseUntil: sql`NULL::timestamptz`.as('lease_until'),
            lastError: sql`NULL::text`.as('last_error'),
            sentVia: sql`NULL::text`.as('sent_via'),
            sentAt: sql`NULL::timestamptz`.as('sent_at'),
            createdAt: sql`${now.toISOString()}::timestamptz`.as('created_at'),
            updatedAt: sql`${now.toISOString()}::timestamptz`.as('updated_at'),
          })
          .from(subscribers)
          .where(and(isNotNull(subscribers.confirmedAt), matches)),
      )
      .returning({ id: notificationDeliveries.id });
    emails = inserted.length;
  }
  if (audience.webhooks) {
    const hooks = await tx.select({ id: webhookSubscribers.id }).from(webhookSubscribers).where(reaches(webhookSubscribers.componentIds));
    if (hooks.length > 0) {
      await tx.insert(notificationDeliveries).values(
        hooks.map((hook) => ({ notificationId, channel: 'webhook' as const, webhookId: hook.id, nextAttemptAt: now, createdAt: now, updatedAt: now })),
      );
    }
    webhooks = hooks.length;
  }
  if (audience.chats) {
    // Subscriber channels only: a staff channel is told what staff need, not what the page says.
    const channels = await tx
      .select({ id: chatChannels.id })
      .from(chatChannels)
      .where(and(eq(chatChannels.audience, 'subscriber'), reaches(chatChannels.componentIds)));
    await insertChatDeliveries(tx, notificationId, channels.map((c) => c.id), now);
    chats = channels.length;
  }
  return { emails, webhooks, chats };
}

async function insertChatDeliveries(tx: DbOrTx, notificationId: string, channelIds: string[], now: Date): Promise<void> {
  if (channelIds.length === 0) return;
  await tx
    .insert(notificationDeliveries)
    .values(channelIds.map((chatChannelId) => ({ notificationId, channel: 'chat' as const, chatChannelId, nextAttemptAt: now, createdAt: now, updatedAt: now })));
}

/**
 * Queues one event for every matching confirmed email subscriber, webhook subscriber and
 * subscriber chat channel, in the caller's transaction. `now` is when the deliveries become due
 * (the app clock). A chat channel's message is made from the webhook payload as it is sent.
 */
export async function enqueueNotification(tx: DbOrTx, notification: Notification, now: Date): Promise<EnqueueResult> {
  return enqueue(tx, notification, { emails: true, webhooks: true, chats: true }, now);
}

/** An event without mail: Statuspage's `component_update`, for webhook and chat subscribers. */
export interface WebhookEvent extends NotificationRefs {
  kind: string;
  componentIds?: string[];
  webhook: Record<string, unknown>;
  dedupeKey?: string;
}

/** Queues an event for the webhook subscribers and subscriber chat channels, in the caller's transaction. */
export async function enqueueWebhookEvent(tx: DbOrTx, event: WebhookEvent, now: Date): Promise<EnqueueResult> {
  return enqueue(
    tx,
    { ...event, componentIds: event.componentIds ?? [], mail: { subject: event.kind, text: '' } },
    { emails: false, webhooks: true, chats: true },
    now,
  );
}

async function enqueue(tx: DbOrTx, n: Notification, audience: Audience, now: Date): Promise<EnqueueResult> {
  const notificationId = await insertNotification(tx, {
    kind: n.kind,
    incidentId: n.incidentId ?? null,
    updateId: n.updateId ?? null,
    maintenanceId: n.maintenanceId ?? null,
    componentIds: n.componentIds,
    subject: n.mail.subject,
    text: n.mail.text,
    html: n.mail.html ?? null,
    localizedMails: n.localizedMails
      ? Object.fromEntries(Object.entries(n.localizedMails).map(([lang, m]) => [lang, { subject: m!.subject, text: m!.text, html: m!.html ?? null }]))
      : null,
    webhookPayload: n.webhook,
    dedupeKey: n.dedupeKey ?? null,
    createdAt: now,
  });
  if (!notificationId) return { notificationId: null, ...NOTHING };
  return { notificationId, ...(await fanOut(tx, notificationId, n.componentIds, audience, now)) };
}

export interface DirectMail extends NotificationRefs {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Required: staff mail is often triggered by timers, and a timer may fire twice. */
  dedupeKey: string;
}

/**
 * Queues one mail to one address (staff mail: a reminder to an incident's comms lead), in the
 * caller's transaction. It carries no unsubscribe link. A repeated `dedupeKey` queues nothing.
 */
export async function enqueueDirectMail(tx: DbOrTx, mail: DirectMail, now: Date): Promise<EnqueueResult> {
  const address = checkEmailAddress(mail.to);
  if (!address.ok) throw new Errors.invalid(`Mail address ${address.reason}`);
  const notificationId = await insertNotification(tx, {
    kind: DIRECT_MAIL,
    incidentId: mail.incidentId ?? null,
    updateId: mail.updateId ?? null,
    maintenanceId: mail.maintenanceId ?? null,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? null,
    dedupeKey: `direct:${mail.dedupeKey}`,
    createdAt: now,
  });
  if (!notificationId) return { notificationId: null, ...NOTHING };
  await tx.insert(notificationDeliveries).values({ notificationId, channel: 'email', recipient: address.email, nextAttemptAt: now, createdAt: now, updatedAt: now });
  return { notificationId, ...NOTHING, emails: 1 };
}

export interface StaffChat extends NotificationRefs {
  event: StaffEvent;
  message: ChatMessage;
  /** Required: staff events come from timers and claims, and a timer may fire twice. */
  dedupeKey: string;
  /** Only these channels (the digest claims its rounds per channel); default: every staff channel hearing `event`. */
  channelIds?: string[];
}

/**
 * Queues a staff message for the staff chat channels that chose its event, in the caller's
 * transaction. No channel listening: nothing is written. A repeated `dedupeKey` queues nothing.
 */
export async function enqueueStaffChat(tx: DbOrTx, staff: StaffChat, now: Date): Promise<EnqueueResult> {
  const listening = and(eq(chatChannels.audience, 'staff'), sql`${staff.event} = ANY(${chatChannels.staffEvents})`);
  const channels = await tx
    .select({ id: chatChannels.id })
    .from(chatChannels)
    .where(staff.channelIds ? and(listening, inArray(chatChannels.id, staff.channelIds)) : listening);
  if (channels.length === 0) return { notificationId: null, ...NOTHING };
  const notificationId = await insertStaffNotification(tx, staffKind(staff.event), staff, `staff:${staff.dedupeKey}`, now);
  if (!notificationId) return { notificationId: null, ...NOTHING };
  await insertChatDeliveries(tx, notificationId, channels.map((c) => c.id), now);
  return { notificationId, ...NOTHING, chats: channels.length };
}

/** Queues one message to one chat channel, whatever it hears of: the owner's test send. */
export async function enqueueChatTest(tx: DbOrTx, channelId: string, message: ChatMessage, now: Date): Promise<EnqueueResult> {
  const notificationId = await insertStaffNotification(tx, CHAT_TEST, { message }, null, now);
  await insertChatDeliveries(tx, notificationId!, [channelId], now);
  return { notificationId, ...NOTHING, chats: 1 };
}

function insertStaffNotification(tx: DbOrTx, kind: string, staff: NotificationRefs & { message: ChatMessage }, dedupeKey: string | null, now: Date) {
  return insertNotification(tx, {
    kind,
    incidentId: staff.incidentId ?? null,
    updateId: staff.updateId ?? null,
    maintenanceId: staff.maintenanceId ?? null,
    subject: staff.message.title,
    text: plainText(staff.message),
    chatMessage: staff.message,
    dedupeKey,
    createdAt: now,
  });
}

/**
 * Queues confirmation mails. Their link is built by the worker from the subscriber's nonce, so
 * no usable token is ever written to the database.
 */
export async function enqueueConfirmations(tx: DbOrTx, subscriberIds: string[], subject: string, now: Date): Promise<void> {
  if (subscriberIds.length === 0) return;
  const notificationId = await insertNotification(tx, { kind: SUBSCRIBER_CONFIRMATION, subject, text: '', createdAt: now });
  for (let i = 0; i < subscriberIds.length; i += 5000) {
    await tx.insert(notificationDeliveries).values(
      subscriberIds.slice(i, i + 5000).map((subscriberId) => ({
        notificationId: notificationId!,
        channel: 'email' as const,
        subscriberId,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
}
