import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { CHAT_AUDIENCES, CHAT_PLATFORMS, DIGEST_MINUTES, STAFF_EVENTS } from '../../domain/notification-vocabulary.js';
import { id, instant, sqlList, timestamps } from './columns.js';
import { users } from './users.js';

/**
 * A chat platform's incoming-webhook URL. Its URL is the only secret it has (whoever holds it
 * can post to the channel): the owner typed it, and every answer shows it masked.
 * A subscriber channel hears public events (narrowed by `componentIds` as a webhook subscriber
 * is); a staff channel hears the staff events it chose, and the digest every `digestMinutes`.
 */
export const chatChannels = pgTable(
  'chat_channels',
  {
    id: id(),
    platform: text('platform', { enum: CHAT_PLATFORMS }).notNull(),
    url: text('url').notNull(),
    name: text('name').notNull(),
    audience: text('audience', { enum: CHAT_AUDIENCES }).notNull(),
    /** Subscriber channels: empty is every component. */
    componentIds: uuid('component_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** Staff channels: which staff events they hear of. */
    staffEvents: text('staff_events').array().notNull().default(sql`'{}'::text[]`),
    digestMinutes: integer('digest_minutes').notNull().default(DIGEST_MINUTES.default),
    /** When the last digest round was claimed: one process sends each round. */
    lastDigestAt: instant('last_digest_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  () => [
    check('chat_channels_platform_check', sql.raw(`platform IN (${sqlList(CHAT_PLATFORMS)})`)),
    check('chat_channels_audience_check', sql.raw(`audience IN (${sqlList(CHAT_AUDIENCES)})`)),
    check('chat_channels_staff_events_check', sql.raw(`staff_events <@ ARRAY[${sqlList(STAFF_EVENTS)}]::text[]`)),
    check('chat_channels_digest_minutes_check', sql.raw(`digest_minutes BETWEEN ${DIGEST_MINUTES.min} AND ${DIGEST_MINUTES.max}`)),
  ],
);
