CREATE TABLE "public_versions" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"components" bigint DEFAULT 0 NOT NULL,
	"incidents" bigint DEFAULT 0 NOT NULL,
	"maintenance" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "public_versions_single_row" CHECK ("public_versions"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "public_versions" ("id") VALUES (1);
--> statement-breakpoint
-- Moves a part's number on once per transaction, at its commit: the new number is seen with the
-- data it stands for, never before, and the row is locked only while the transaction commits, so
-- writers never wait for it holding other locks (no deadlock), and a long transaction holds no one up.
CREATE FUNCTION "public_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('heliograph.public_version_bumped_' || TG_ARGV[0], true) IS DISTINCT FROM 'on' THEN
    PERFORM set_config('heliograph.public_version_bumped_' || TG_ARGV[0], 'on', true);
    EXECUTE format('UPDATE "public_versions" SET %1$I = %1$I + 1 WHERE "id" = 1', TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- TRUNCATE fires no row triggers (nor deferred ones): it moves the number at once.
CREATE FUNCTION "public_version_bump_now"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('UPDATE "public_versions" SET %1$I = %1$I + 1 WHERE "id" = 1', TG_ARGV[0]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "components_public_version" AFTER INSERT OR UPDATE OR DELETE ON "components" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('components');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "component_groups_public_version" AFTER INSERT OR UPDATE OR DELETE ON "component_groups" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('components');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "incidents_public_version" AFTER INSERT OR UPDATE OR DELETE ON "incidents" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('incidents');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "incident_updates_public_version" AFTER INSERT OR UPDATE OR DELETE ON "incident_updates" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('incidents');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "maintenances_public_version" AFTER INSERT OR UPDATE OR DELETE ON "maintenances" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('maintenance');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "maintenance_components_public_version" AFTER INSERT OR UPDATE OR DELETE ON "maintenance_components" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('maintenance');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "maintenance_updates_public_version" AFTER INSERT OR UPDATE OR DELETE ON "maintenance_updates" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('maintenance');
--> statement-breakpoint
CREATE TRIGGER "components_public_version_truncate" AFTER TRUNCATE ON "components" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('components');
--> statement-breakpoint
CREATE TRIGGER "component_groups_public_version_truncate" AFTER TRUNCATE ON "component_groups" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('components');
--> statement-breakpoint
CREATE TRIGGER "incidents_public_version_truncate" AFTER TRUNCATE ON "incidents" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('incidents');
--> statement-breakpoint
CREATE TRIGGER "incident_updates_public_version_truncate" AFTER TRUNCATE ON "incident_updates" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('incidents');
--> statement-breakpoint
CREATE TRIGGER "maintenances_public_version_truncate" AFTER TRUNCATE ON "maintenances" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('maintenance');
--> statement-breakpoint
CREATE TRIGGER "maintenance_components_public_version_truncate" AFTER TRUNCATE ON "maintenance_components" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('maintenance');
--> statement-breakpoint
CREATE TRIGGER "maintenance_updates_public_version_truncate" AFTER TRUNCATE ON "maintenance_updates" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('maintenance');
