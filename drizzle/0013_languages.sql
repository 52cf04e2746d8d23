ALTER TABLE "incident_updates" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "localized_mails" jsonb;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "language" text;