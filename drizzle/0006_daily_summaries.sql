CREATE TABLE "daily_summaries" (
	"user_id" text NOT NULL,
	"local_date" text NOT NULL,
	"tz" text NOT NULL,
	"ai_comment" text NOT NULL,
	"category_summaries" jsonb NOT NULL,
	"total_memos" integer NOT NULL,
	"focus_minutes" integer NOT NULL,
	"completed_sessions" integer NOT NULL,
	"generated_by" text NOT NULL,
	"fingerprint" text NOT NULL,
	"source_version" timestamp (3) with time zone NOT NULL,
	"generated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_summaries_user_id_local_date_tz_pk" PRIMARY KEY("user_id","local_date","tz")
);
--> statement-breakpoint
ALTER TABLE "daily_summaries" ADD CONSTRAINT "daily_summaries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
