CREATE TABLE "custom_categories" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"icon" text NOT NULL,
	"color" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memos" ADD COLUMN "category_chosen" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "memos" ADD COLUMN "classify_requested_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "custom_categories" ADD CONSTRAINT "custom_categories_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "custom_categories_user_key_idx" ON "custom_categories" USING btree ("user_id","key");--> statement-breakpoint
CREATE INDEX "memos_user_category_idx" ON "memos" USING btree ("user_id","category");--> statement-breakpoint
CREATE INDEX "memos_classify_waiting_idx" ON "memos" USING btree ("classify_requested_at") WHERE "memos"."classify_requested_at" is not null;--> statement-breakpoint
-- Backfill (by hand): memos from before classification wait for it; the cron feeds them to the queue a page at a time, oldest request first.
UPDATE "memos" SET "category" = 'uncategorized', "classify_requested_at" = 'epoch' WHERE "category" IS NULL;
