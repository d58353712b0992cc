CREATE SEQUENCE "public"."sync_change_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "sync_horizons" (
	"user_id" text PRIMARY KEY NOT NULL,
	"change_xid" "xid8" NOT NULL,
	"change_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_tombstones" (
	"type" text NOT NULL,
	"id" text NOT NULL,
	"user_id" text NOT NULL,
	"change_seq" bigint NOT NULL,
	"change_xid" "xid8" NOT NULL,
	"deleted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_tombstones_type_id_pk" PRIMARY KEY("type","id"),
	CONSTRAINT "sync_tombstones_type_check" CHECK ("sync_tombstones"."type" in ('memo', 'session', 'mood', 'category'))
);
--> statement-breakpoint
ALTER TABLE "custom_categories" ADD COLUMN "change_seq" bigint DEFAULT nextval('sync_change_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "custom_categories" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "custom_categories" ADD COLUMN "changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "focus_sessions" ADD COLUMN "change_seq" bigint DEFAULT nextval('sync_change_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "focus_sessions" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "focus_sessions" ADD COLUMN "changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "memos" ADD COLUMN "change_seq" bigint DEFAULT nextval('sync_change_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "memos" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "memos" ADD COLUMN "changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "mood_checkins" ADD COLUMN "change_seq" bigint DEFAULT nextval('sync_change_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "mood_checkins" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "mood_checkins" ADD COLUMN "changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_horizons" ADD CONSTRAINT "sync_horizons_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_tombstones" ADD CONSTRAINT "sync_tombstones_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sync_tombstones_user_change_idx" ON "sync_tombstones" USING btree ("user_id","change_xid","change_seq");--> statement-breakpoint
CREATE INDEX "sync_tombstones_deleted_at_idx" ON "sync_tombstones" USING btree ("deleted_at");--> statement-breakpoint
CREATE INDEX "custom_categories_user_change_idx" ON "custom_categories" USING btree ("user_id","change_xid","change_seq");--> statement-breakpoint
CREATE INDEX "focus_sessions_user_change_idx" ON "focus_sessions" USING btree ("user_id","change_xid","change_seq");--> statement-breakpoint
CREATE INDEX "memos_user_change_idx" ON "memos" USING btree ("user_id","change_xid","change_seq");--> statement-breakpoint
CREATE INDEX "mood_checkins_user_change_idx" ON "mood_checkins" USING btree ("user_id","change_xid","change_seq");--> statement-breakpoint
-- Delta sync: every insert and every update that changes something moves the row to the end of the
-- change feed (a new change_seq, the writing transaction's id, the server's time), and every delete
-- leaves a tombstone. Written here, in Postgres, so no code path can forget it. The ADD COLUMNs above
-- backfilled existing rows (their volatile defaults are evaluated per row).
-- `ignored` columns (the trigger's arguments) are bookkeeping no GET route shows: changing only them is not a change.
CREATE FUNCTION sync_mark_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ignored text[] := array['change_seq', 'change_xid', 'changed_at'] || TG_ARGV::text[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- Never taken from the statement: a write cannot move a row in the feed by itself.
    NEW.change_seq := OLD.change_seq;
    NEW.change_xid := OLD.change_xid;
    NEW.changed_at := OLD.changed_at;
    IF TG_NARGS = 0 THEN
      IF NEW IS NOT DISTINCT FROM OLD THEN RETURN NEW; END IF;
    ELSIF (to_jsonb(NEW) - ignored) = (to_jsonb(OLD) - ignored) THEN
      RETURN NEW;
    END IF;
  END IF;
  NEW.change_seq := nextval('sync_change_seq');
  NEW.change_xid := pg_current_xact_id();
  NEW.changed_at := now();
  RETURN NEW;
END $$;
--> statement-breakpoint
-- The tombstone of a deleted row (TG_ARGV[0] is its sync type). A row going with its user (the
-- account purge's cascade) leaves none: the user's tombstones and horizon go with the user.
CREATE FUNCTION sync_record_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_tombstones (type, id, user_id, change_seq, change_xid, deleted_at)
  SELECT TG_ARGV[0], OLD.id, OLD.user_id, nextval('sync_change_seq'), pg_current_xact_id(), now()
  WHERE EXISTS (SELECT 1 FROM users WHERE users.id = OLD.user_id)
  ON CONFLICT (type, id) DO UPDATE
    SET user_id = excluded.user_id, change_seq = excluded.change_seq, change_xid = excluded.change_xid, deleted_at = excluded.deleted_at;
  RETURN OLD;
END $$;
--> statement-breakpoint
-- Named zz_ so they run after any other BEFORE trigger of the table (they fire in name order) and see the final row.
CREATE TRIGGER zz_sync_mark_change BEFORE INSERT OR UPDATE ON memos FOR EACH ROW EXECUTE FUNCTION sync_mark_change('classify_requested_at', 'category_chosen');--> statement-breakpoint
CREATE TRIGGER zz_sync_record_delete AFTER DELETE ON memos FOR EACH ROW EXECUTE FUNCTION sync_record_delete('memo');--> statement-breakpoint
CREATE TRIGGER zz_sync_mark_change BEFORE INSERT OR UPDATE ON focus_sessions FOR EACH ROW EXECUTE FUNCTION sync_mark_change();--> statement-breakpoint
CREATE TRIGGER zz_sync_record_delete AFTER DELETE ON focus_sessions FOR EACH ROW EXECUTE FUNCTION sync_record_delete('session');--> statement-breakpoint
CREATE TRIGGER zz_sync_mark_change BEFORE INSERT OR UPDATE ON mood_checkins FOR EACH ROW EXECUTE FUNCTION sync_mark_change();--> statement-breakpoint
CREATE TRIGGER zz_sync_record_delete AFTER DELETE ON mood_checkins FOR EACH ROW EXECUTE FUNCTION sync_record_delete('mood');--> statement-breakpoint
CREATE TRIGGER zz_sync_mark_change BEFORE INSERT OR UPDATE ON custom_categories FOR EACH ROW EXECUTE FUNCTION sync_mark_change();--> statement-breakpoint
CREATE TRIGGER zz_sync_record_delete AFTER DELETE ON custom_categories FOR EACH ROW EXECUTE FUNCTION sync_record_delete('category');
