CREATE TABLE "component_sources" (
	"component_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"vendor_component_id" text,
	"open_draft_on_degrade" boolean DEFAULT false NOT NULL,
	"linked_by" uuid,
	"etag" text,
	"last_polled_at" timestamp with time zone,
	"next_poll_at" timestamp with time zone NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_vendor_status" text,
	"vendor_name" text,
	"claimed_until" timestamp with time zone,
	"open_incident_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "component_sources_vendor_status_check" CHECK (last_vendor_status IS NULL OR last_vendor_status IN ('operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'))
);
--> statement-breakpoint
ALTER TABLE "component_sources" ADD CONSTRAINT "component_sources_component_id_components_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."components"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component_sources" ADD CONSTRAINT "component_sources_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component_sources" ADD CONSTRAINT "component_sources_open_incident_id_incidents_id_fk" FOREIGN KEY ("open_incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "component_sources_next_poll_idx" ON "component_sources" USING btree ("next_poll_at");