import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.js';

/** A link of the public page's footer. */
export interface FooterLink {
  label: string;
  url: string;
}

/**
 * The page's settings: one row (id 1), made on the first change. A null column is unset: the
 * configuration's default (PAGE_NAME, TZ_DISPLAY, …) applies.
 */
export const pageSettings = pgTable(
  'page_settings',
  {
    id: integer('id').primaryKey().default(1),
    pageName: text('page_name'),
    timeZone: text('time_zone'),
    defaultLanguage: text('default_language'),
    accentColour: text('accent_colour'),
    supportUrl: text('support_url'),
    footerLinks: jsonb('footer_links').$type<FooterLink[]>(),
    customCss: text('custom_css'),
    /** A logo at a URL of our own page (an uploaded one is in `page_images`). */
    logoUrl: text('logo_url'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [check('page_settings_single_row', sql`${t.id} = 1`)],
);

/**
 * Uploaded images (the logo, the favicon), served from our own origin under their hash. Kept
 * apart from the settings row, which every process reads again on every public change.
 */
export const pageImages = pgTable(
  'page_images',
  {
    kind: text('kind').primaryKey(),
    contentType: text('content_type').notNull(),
    /** The first 16 hex digits of the SHA-256 of the bytes: the served URL's version. */
    hash: text('hash').notNull(),
    /** The bytes, base64: PGlite and PostgreSQL store text alike. */
    data: text('data').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    check('page_images_kind_check', sql`${t.kind} IN ('logo', 'favicon')`),
    check('page_images_type_check', sql`${t.contentType} IN ('image/png', 'image/svg+xml')`),
  ],
);
