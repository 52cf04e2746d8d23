ALTER TABLE "webhook_subscribers" ADD COLUMN "component_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_subscribers" ADD COLUMN "unsubscribe_nonce" text;--> statement-breakpoint
ALTER TABLE "webhook_subscribers" ADD COLUMN "unsubscribe_token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_subscribers_unsubscribe_token_key" ON "webhook_subscribers" USING btree ("unsubscribe_token_hash");