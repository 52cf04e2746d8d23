CREATE TABLE "chat_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform" text NOT NULL,
	"url" text NOT NULL,
	"name" text NOT NULL,
	"audience" text NOT NULL,
	"component_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"staff_events" text[] DEFAULT '{}'::text[] NOT NULL,
	"digest_minutes" integer DEFAULT 30 NOT NULL,
	"last_digest_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chat_channels_platform_check" CHECK (platform IN ('slack', 'teams', 'discord', 'mattermost', 'google_chat')),
	CONSTRAINT "chat_channels_audience_check" CHECK (audience IN ('subscriber', 'staff')),
	CONSTRAINT "chat_channels_staff_events_check" CHECK (staff_events <@ ARRAY['reminder', 'draft_opened', 'ack_overdue', 'postmortem_overdue', 'digest']::text[]),
	CONSTRAINT "chat_channels_digest_minutes_check" CHECK (digest_minutes BETWEEN 15 AND 30)
);
--> statement-breakpoint
ALTER TABLE "notification_deliveries" DROP CONSTRAINT "notification_deliveries_channel_check";--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "chat_channel_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "chat_message" jsonb;--> statement-breakpoint
ALTER TABLE "chat_channels" ADD CONSTRAINT "chat_channels_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_chat_channel_id_chat_channels_id_fk" FOREIGN KEY ("chat_channel_id") REFERENCES "public"."chat_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_chat_channel_key" ON "notification_deliveries" USING btree ("notification_id","chat_channel_id");--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_channel_check" CHECK (channel IN ('email', 'webhook', 'chat'));