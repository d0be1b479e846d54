import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Two-character search. pg_trgm cannot narrow its index with fewer than three characters, so
  // a 2-character query ("트릭", "ai") would read the whole table. These GIN indexes hold each
  // text's distinct lower-cased character pairs (whitespace-free), so "contains q" for a
  // 2-character q is an array-containment lookup: lokiz_bigrams(col) @> ARRAY[lower(q)].
  await sql`
    CREATE FUNCTION lokiz_bigrams(t text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    DECLARE
      s text := pg_catalog.lower(t);
      pairs text[] := '{}';
      pair text;
    BEGIN
      FOR i IN 1 .. pg_catalog.char_length(s) - 1 LOOP
        pair := pg_catalog.substr(s, i, 2);
        IF pair !~ '\s' THEN
          pairs := pairs || pair;
        END IF;
      END LOOP;
      RETURN pairs; -- GIN keeps each distinct pair once per row
    END
    $$`.execute(db);
  await sql`CREATE INDEX users_username_bigram ON users USING gin (lokiz_bigrams(username))`.execute(db);
  await sql`CREATE INDEX users_display_name_bigram ON users USING gin (lokiz_bigrams(display_name))`.execute(
    db,
  );
  await sql`CREATE INDEX videos_caption_bigram ON videos USING gin (lokiz_bigrams(caption))
            WHERE status = 'ready' AND visibility = 'public' AND deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX hashtags_tag_bigram ON hashtags USING gin (lokiz_bigrams(tag))`.execute(db);

  // Follower / following lists page newest first with a keyset on (created_at, other user).
  // The 0004 indexes stopped at created_at, so a page boundary inside one timestamp needed a
  // sort; these carry the tie-breaker and replace them (each old one is a prefix of a new one).
  await sql`CREATE INDEX follows_followee_page_idx ON follows (followee_id, created_at DESC, follower_id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX follows_follower_page_idx ON follows (follower_id, created_at DESC, followee_id DESC)`.execute(
    db,
  );
  await sql`DROP INDEX follows_followee_idx`.execute(db);
  await sql`DROP INDEX follows_follower_idx`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`CREATE INDEX follows_followee_idx ON follows (followee_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX follows_follower_idx ON follows (follower_id, created_at DESC)`.execute(db);
  await sql`DROP INDEX follows_follower_page_idx`.execute(db);
  await sql`DROP INDEX follows_followee_page_idx`.execute(db);
  await sql`DROP INDEX hashtags_tag_bigram`.execute(db);
  await sql`DROP INDEX videos_caption_bigram`.execute(db);
  await sql`DROP INDEX users_display_name_bigram`.execute(db);
  await sql`DROP INDEX users_username_bigram`.execute(db);
  await sql`DROP FUNCTION lokiz_bigrams(text)`.execute(db);
}
