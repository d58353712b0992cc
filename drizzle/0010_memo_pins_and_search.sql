ALTER TABLE "memos" ADD COLUMN "pinned_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "memos_user_pinned_idx" ON "memos" USING btree ("user_id","pinned_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "memos"."pinned_at" is not null;--> statement-breakpoint
-- Hand-written from here (drizzle-kit does not model it; see the note on `memos` in src/db/schema.ts).
-- Server-side search: one normalized text per memo (content and tags; voice transcripts join here
-- once they exist, by redefining memo_search_text and the column), matched through GIN indexes:
-- trigrams (pg_trgm) for words of 3 or more characters; for 2-character words, which have no
-- trigram of their own ("회의" inside "주간회의록"), the distinct 2-character pieces of the first
-- 5,000 characters (exact, no recheck), and for the few longer memos their rows by user (the
-- partial index), whose text is then scanned. Computing the pieces costs about 4 µs a character,
-- which is why it stops at 5,000: a memo write pays at most about 20 ms for it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE FUNCTION memo_search_text(content text, tags text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(normalize(content || E'\n' || array_to_string(tags, E'\n'), NFKC)) $$;--> statement-breakpoint
-- Linear in the text (substr(text, i, 2) in a loop is quadratic: minutes for 100,000 characters).
-- COST: up to 5,000 characters at about 4 µs each, so the planner finds it through its index
-- rather than calling it on every row of a user.
CREATE FUNCTION memo_head_bigrams(search_text text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 10000
  AS $$
    SELECT coalesce(array_agg(pair), '{}') FROM (
      SELECT DISTINCT pair FROM (
        SELECT ch || lead(ch) OVER (ORDER BY n) AS pair
        FROM unnest(string_to_array(left(search_text, 5000), NULL)) WITH ORDINALITY AS chars(ch, n)
      ) AS pairs
      WHERE pair IS NOT NULL
    ) AS distinct_pairs
  $$;--> statement-breakpoint
ALTER TABLE "memos" ADD COLUMN "search_text" text GENERATED ALWAYS AS (memo_search_text("content", "tags")) STORED;--> statement-breakpoint
CREATE INDEX "memos_search_trgm_idx" ON "memos" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "memos_search_bigram_idx" ON "memos" USING gin (memo_head_bigrams("search_text"));--> statement-breakpoint
CREATE INDEX "memos_search_long_idx" ON "memos" USING btree ("user_id") WHERE length("search_text") > 5000;--> statement-breakpoint
-- The change feed (0009) compares a memo before and after an update; a BEFORE trigger sees the stored
-- generated column still unset, so search_text, which only restates content and tags, is left out.
DROP TRIGGER zz_sync_mark_change ON memos;--> statement-breakpoint
CREATE TRIGGER zz_sync_mark_change BEFORE INSERT OR UPDATE ON memos FOR EACH ROW EXECUTE FUNCTION sync_mark_change('classify_requested_at', 'category_chosen', 'search_text');
