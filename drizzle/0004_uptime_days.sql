CREATE TABLE "component_uptime_days" (
	"component_id" uuid NOT NULL,
	"day" date NOT NULL,
	"operational_ms" integer DEFAULT 0 NOT NULL,
	"under_maintenance_ms" integer DEFAULT 0 NOT NULL,
	"degraded_performance_ms" integer DEFAULT 0 NOT NULL,
	"partial_outage_ms" integer DEFAULT 0 NOT NULL,
	"major_outage_ms" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "component_uptime_days_component_id_day_pk" PRIMARY KEY("component_id","day"),
	CONSTRAINT "component_uptime_days_within_day" CHECK (operational_ms >= 0 AND under_maintenance_ms >= 0 AND degraded_performance_ms >= 0 AND partial_outage_ms >= 0 AND major_outage_ms >= 0 AND operational_ms + under_maintenance_ms + degraded_performance_ms + partial_outage_ms + major_outage_ms <= 86400000)
);
--> statement-breakpoint
ALTER TABLE "component_uptime_days" ADD CONSTRAINT "component_uptime_days_component_id_components_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."components"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill: each component's closed time (from each change to the next, in history order)
-- split at UTC midnights and summed per status and day, as the write path would have kept it.
-- Times are taken to UTC wall-clock timestamps first so the session's time zone plays no part.
INSERT INTO "component_uptime_days" ("component_id", "day", "operational_ms", "under_maintenance_ms", "degraded_performance_ms", "partial_outage_ms", "major_outage_ms")
SELECT "component_id", "day",
  coalesce(sum("ms") FILTER (WHERE "status" = 'operational'), 0),
  coalesce(sum("ms") FILTER (WHERE "status" = 'under_maintenance'), 0),
  coalesce(sum("ms") FILTER (WHERE "status" = 'degraded_performance'), 0),
  coalesce(sum("ms") FILTER (WHERE "status" = 'partial_outage'), 0),
  coalesce(sum("ms") FILTER (WHERE "status" = 'major_outage'), 0)
FROM (
  SELECT "component_id", "status", "day"::date AS "day",
    round(extract(epoch FROM least("until", "day" + interval '1 day') - greatest("since", "day")) * 1000)::integer AS "ms"
  FROM (
    SELECT "component_id", "to_status" AS "status",
      "changed_at" AT TIME ZONE 'UTC' AS "since",
      lead("changed_at") OVER (PARTITION BY "component_id" ORDER BY "changed_at", "id") AT TIME ZONE 'UTC' AS "until"
    FROM "component_status_changes"
  ) AS "intervals"
  CROSS JOIN LATERAL generate_series(date_trunc('day', "since"), "until", interval '1 day') AS "days"("day")
  WHERE "until" IS NOT NULL
) AS "pieces"
WHERE "ms" > 0
GROUP BY "component_id", "day";
