ALTER TABLE "incident_notes" ADD COLUMN "text_html" text;--> statement-breakpoint
ALTER TABLE "incident_updates" ADD COLUMN "body_html" text;--> statement-breakpoint
ALTER TABLE "postmortems" ADD COLUMN "summary_html" text;--> statement-breakpoint
ALTER TABLE "postmortems" ADD COLUMN "root_cause_html" text;--> statement-breakpoint
ALTER TABLE "postmortems" ADD COLUMN "public_html" text;--> statement-breakpoint
ALTER TABLE "maintenance_updates" ADD COLUMN "body_html" text;--> statement-breakpoint
ALTER TABLE "maintenances" ADD COLUMN "body_html" text;