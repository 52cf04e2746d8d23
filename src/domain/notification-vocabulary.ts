/** Notification enumerations, free of database imports. */

/**
 * `pending`: never tried; `failed`: the last try failed, another is scheduled; `sent`; `dead`:
 * out of tries, the last error kept.
 */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_CHANNELS = ['email', 'webhook', 'chat'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** Built-in kinds; other modules add their own (`maintenance.scheduled`, `postmortem.published`…). */
export const SUBSCRIBER_CONFIRMATION = 'subscriber.confirmation';
export const DIRECT_MAIL = 'mail.direct';
/** A test message an owner sends to one chat channel. */
export const CHAT_TEST = 'chat.test';
/** Statuspage's `component_update` event: webhook subscribers only. */
export const COMPONENT_UPDATE = 'component.update';

/** Chat platforms whose incoming webhooks a channel may post to. */
export const CHAT_PLATFORMS = ['slack', 'teams', 'discord', 'mattermost', 'google_chat'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

/**
 * `subscriber`: public events only, like an email or webhook subscriber; `staff`: the staff
 * events it chose, never public events (they are on the page already).
 */
export const CHAT_AUDIENCES = ['subscriber', 'staff'] as const;
export type ChatAudience = (typeof CHAT_AUDIENCES)[number];

/** What a staff channel can hear of. */
export const STAFF_EVENTS = ['reminder', 'draft_opened', 'ack_overdue', 'postmortem_overdue', 'digest'] as const;
export type StaffEvent = (typeof STAFF_EVENTS)[number];

/** The internal update rhythm: engineering leadership and customer success every 15 to 30 minutes. */
export const DIGEST_MINUTES = { min: 15, max: 30, default: 30 } as const;

/** A staff message's notification kind: `staff.reminder`, `staff.digest`, … */
export const staffKind = (event: StaffEvent) => `staff.${event}`;
