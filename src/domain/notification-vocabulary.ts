/** Notification enumerations, free of database imports. */

/**
 * `pending`: never tried; `failed`: the last try failed, another is scheduled; `sent`; `dead`:
 * out of tries, the last error kept.
 */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** Built-in kinds; other modules add their own (`maintenance.scheduled`, `postmortem.published`…). */
export const SUBSCRIBER_CONFIRMATION = 'subscriber.confirmation';
export const DIRECT_MAIL = 'mail.direct';
/** Statuspage's `component_update` event: webhook subscribers only. */
export const COMPONENT_UPDATE = 'component.update';
