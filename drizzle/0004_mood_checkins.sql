CREATE TABLE "mood_checkins" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"session_id" text,
	"score" integer NOT NULL,
	"emotions" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	"recorded_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mood_checkins_score_check" CHECK ("mood_checkins"."score" between 1 and 5),
	CONSTRAINT "mood_checkins_emotions_check" CHECK (cardinality("mood_checkins"."emotions") <= 5)
);
--> statement-breakpoint
ALTER TABLE "mood_checkins" ADD CONSTRAINT "mood_checkins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mood_checkins" ADD CONSTRAINT "mood_checkins_session_id_focus_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."focus_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mood_checkins_user_recorded_idx" ON "mood_checkins" USING btree ("user_id","recorded_at");--> statement-breakpoint
CREATE INDEX "mood_checkins_session_idx" ON "mood_checkins" USING btree ("session_id") WHERE "mood_checkins"."session_id" is not null;