CREATE TABLE "page_images" (
	"kind" text PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"hash" text NOT NULL,
	"data" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "page_images_kind_check" CHECK ("page_images"."kind" IN ('logo', 'favicon')),
	CONSTRAINT "page_images_type_check" CHECK ("page_images"."content_type" IN ('image/png', 'image/svg+xml'))
);
--> statement-breakpoint
CREATE TABLE "page_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"page_name" text,
	"time_zone" text,
	"default_language" text,
	"accent_colour" text,
	"support_url" text,
	"footer_links" jsonb,
	"custom_css" text,
	"logo_url" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "page_settings_single_row" CHECK ("page_settings"."id" = 1)
);
