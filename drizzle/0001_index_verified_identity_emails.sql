DROP INDEX "users_email_idx";--> statement-breakpoint
CREATE INDEX "user_identities_verified_email_idx" ON "user_identities" USING btree (lower("email")) WHERE "user_identities"."email_verified";