-- The Statuspage API keeps its incidents by the incidents' number too (src/surfaces/statuspage-v2/data.ts),
-- and shows two more things of theirs: whether each has a published postmortem, and the status
-- each of its updates moved a component from. Writes to those move the number as well. A
-- component's status change of its own (no incident) does not: the status page keeps its
-- incidents through those.
CREATE CONSTRAINT TRIGGER "postmortems_public_version" AFTER INSERT OR UPDATE OR DELETE ON "postmortems" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "public_version_bump"('incidents');
--> statement-breakpoint
CREATE TRIGGER "postmortems_public_version_truncate" AFTER TRUNCATE ON "postmortems" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('incidents');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "component_status_changes_public_version" AFTER INSERT ON "component_status_changes" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."incident_id" IS NOT NULL) EXECUTE FUNCTION "public_version_bump"('incidents');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "component_status_changes_updated_public_version" AFTER UPDATE ON "component_status_changes" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."incident_id" IS NOT NULL OR OLD."incident_id" IS NOT NULL) EXECUTE FUNCTION "public_version_bump"('incidents');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "component_status_changes_deleted_public_version" AFTER DELETE ON "component_status_changes" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD."incident_id" IS NOT NULL) EXECUTE FUNCTION "public_version_bump"('incidents');
--> statement-breakpoint
CREATE TRIGGER "component_status_changes_public_version_truncate" AFTER TRUNCATE ON "component_status_changes" FOR EACH STATEMENT EXECUTE FUNCTION "public_version_bump_now"('incidents');
