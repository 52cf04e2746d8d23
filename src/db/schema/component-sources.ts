import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { COMPONENT_STATUSES } from '../../domain/vocabulary.js';
import { instant, sqlList, timestamps } from './columns.js';
import { components } from './components.js';
import { incidents } from './incidents.js';
import { users } from './users.js';

/**
 * A component that follows another status page (Statuspage v2): where its summary is, what of
 * it we follow, and the poller's state. At most one per component.
 */
export const componentSources = pgTable(
  'component_sources',
  {
    componentId: uuid('component_id')
      .primaryKey()
      .references(() => components.id, { onDelete: 'cascade' }),
    /** The vendor's `/api/v2/summary.json`. */
    url: text('url').notNull(),
    /** One of the vendor's components; null follows the vendor page's overall indicator. */
    vendorComponentId: text('vendor_component_id'),
    openDraftOnDegrade: boolean('open_draft_on_degrade').notNull().default(false),
    /** The owner who linked it: the drafts it opens are theirs, as an API token's are its creator's. */
    linkedBy: uuid('linked_by').references(() => users.id, { onDelete: 'set null' }),
    /** The vendor's ETag of the last good answer, sent back as If-None-Match. */
    etag: text('etag'),
    lastPolledAt: instant('last_polled_at'),
    nextPollAt: instant('next_poll_at').notNull(),
    /** Failed polls in a row: the backoff. */
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
    /** The vendor's status at the last good answer, in our vocabulary. */
    lastVendorStatus: text('last_vendor_status', { enum: COMPONENT_STATUSES }),
    /** What the vendor calls what we follow (its page, or page and component). */
    vendorName: text('vendor_name'),
    /** A poll in flight until then; a process that died mid-poll frees it by this time. */
    claimedUntil: instant('claimed_until'),
    /** The draft this source opened, while it is unresolved no other is opened. */
    openIncidentId: uuid('open_incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    index('component_sources_next_poll_idx').on(t.nextPollAt),
    check('component_sources_vendor_status_check', sql.raw(`last_vendor_status IS NULL OR last_vendor_status IN (${sqlList(COMPONENT_STATUSES)})`)),
  ],
);
