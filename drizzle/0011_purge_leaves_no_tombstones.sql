-- A user the account purge is erasing (past purge_after) leaves no tombstones: the purge deletes
-- their memos and sessions in chunks while the user row still exists, and tombstones written then
-- would all go in the user row's one cascading delete, the unbounded statement the chunks avoid.
CREATE OR REPLACE FUNCTION sync_record_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_tombstones (type, id, user_id, change_seq, change_xid, deleted_at)
  SELECT TG_ARGV[0], OLD.id, OLD.user_id, nextval('sync_change_seq'), pg_current_xact_id(), now()
  WHERE EXISTS (SELECT 1 FROM users WHERE users.id = OLD.user_id AND (users.purge_after IS NULL OR users.purge_after > now()))
  ON CONFLICT (type, id) DO UPDATE
    SET user_id = excluded.user_id, change_seq = excluded.change_seq, change_xid = excluded.change_xid, deleted_at = excluded.deleted_at;
  RETURN OLD;
END $$;
