import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from '../../domain/notification-vocabulary.js';
import { id, instant, sqlList, timestamps } from './columns.js';
import { chatChannels } from './chat-channels.js';
import { users } from './users.js';

/**
 * An email subscriber. Tokens are never stored: the confirm and unsubscribe links are HMACs of
 * the id and a per-subscriber nonce under a server key, found again by their SHA-256. A reader
 * of the database holds the nonces but not the key, so cannot forge a link; the worker holds
 * the key and rebuilds the unsubscribe link for every mail.
 */
export const subscribers = pgTable(
  'subscribers',
  {
    id: id(),
    email: text('email').notNull(),
    /** Empty: every component. */
    componentIds: uuid('component_ids').array().notNull().default(sql`'{}'::uuid[]`),
    confirmedAt: instant('confirmed_at'),
    confirmNonce: text('confirm_nonce'),
    confirmTokenHash: text('confirm_token_hash'),
    confirmExpiresAt: instant('confirm_expires_at'),
    /** At most one confirmation mail per address per hour. */
    confirmationSentAt: instant('confirmation_sent_at'),
    unsubscribeNonce: text('unsubscribe_nonce').notNull(),
    /** The language of the page the address subscribed from: its mails come in it. Null: the page's default. */
    language: text('language'),
    unsubscribeTokenHash: text('unsubscribe_token_hash').notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('subscribers_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('subscribers_confirm_token_key').on(t.confirmTokenHash),
    uniqueIndex('subscribers_unsubscribe_token_key').on(t.unsubscribeTokenHash),
  ],
);

/**
 * A URL every public event is POSTed to, signed with its secret (HMAC-SHA256). Its unsubscribe
 * link (`meta.unsubscribe` of every event) is made as an email subscriber's is; a webhook added
 * before links existed gets its nonce from the worker on its first event.
 */
export const webhookSubscribers = pgTable(
  'webhook_subscribers',
  {
    id: id(),
    url: text('url').notNull(),
    /** Kept as is: signing needs it. Shown once, when the webhook is created. */
    secret: text('secret').notNull(),
    description: text('description'),
    /** Empty: every component. */
    componentIds: uuid('component_ids').array().notNull().default(sql`'{}'::uuid[]`),
    unsubscribeNonce: text('unsubscribe_nonce'),
    unsubscribeTokenHash: text('unsubscribe_token_hash'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('webhook_subscribers_unsubscribe_token_key').on(t.unsubscribeTokenHash)],
);

/**
 * One event to announce, rendered once: what every delivery of it sends. The outbox: rows are
 * written in the transaction of the change they announce.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    kind: text('kind').notNull(),
    incidentId: uuid('incident_id'),
    updateId: uuid('update_id'),
    maintenanceId: uuid('maintenance_id'),
    componentIds: uuid('component_ids').array().notNull().default(sql`'{}'::uuid[]`),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    /** The mail in other languages, by language: a subscriber of one of them gets that one. */
    localizedMails: jsonb('localized_mails').$type<Partial<Record<string, { subject: string; text: string; html: string | null }>>>(),
    webhookPayload: jsonb('webhook_payload'),
    /** The chat message model (`ChatMessage`): each chat channel's platform renders it as it sends. */
    chatMessage: jsonb('chat_message'),
    /** A repeat with the same key enqueues nothing. */
    dedupeKey: text('dedupe_key'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_key').on(t.dedupeKey),
    index('notifications_incident_idx').on(t.incidentId),
  ],
);

/**
 * One message to one recipient: the delivery table is the queue. Workers claim due rows with
 * `FOR UPDATE SKIP LOCKED` and a lease; a lease that runs out (a worker died) frees the row.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: id(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: DELIVERY_CHANNELS }).notNull(),
    subscriberId: uuid('subscriber_id').references(() => subscribers.id, { onDelete: 'cascade' }),
    webhookId: uuid('webhook_id').references(() => webhookSubscribers.id, { onDelete: 'cascade' }),
    chatChannelId: uuid('chat_channel_id').references(() => chatChannels.id, { onDelete: 'cascade' }),
    /** A direct mail's address (staff mail), when there is no subscriber. */
    recipient: text('recipient'),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    leaseUntil: instant('lease_until'),
    lastError: text('last_error'),
    /** `smtp`, `log` (no SMTP_URL: written to the log only), `http` (webhooks) or the chat platform. */
    sentVia: text('sent_via'),
    sentAt: instant('sent_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('notification_deliveries_subscriber_key').on(t.notificationId, t.subscriberId),
    uniqueIndex('notification_deliveries_webhook_key').on(t.notificationId, t.webhookId),
    uniqueIndex('notification_deliveries_chat_channel_key').on(t.notificationId, t.chatChannelId),
    index('notification_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status IN ('pending', 'failed')`),
    check('notification_deliveries_status_check', sql.raw(`status IN (${sqlList(DELIVERY_STATUSES)})`)),
    check('notification_deliveries_channel_check', sql.raw(`channel IN (${sqlList(DELIVERY_CHANNELS)})`)),
  ],
);
