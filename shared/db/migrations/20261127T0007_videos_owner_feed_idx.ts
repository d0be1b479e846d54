import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * A person's public videos, newest first, as an index of exactly the rows the following feed
 * and profile pages may show. videos_owner_idx (0002) also holds private, unfinished and failed
 * videos, so a page had to visit the table for each entry to skip them, and PostgreSQL, which
 * guesses about 10 videos per owner, preferred reading all of a popular creator's videos and
 * sorting them. With this partial index the following feed takes each followed person's newest
 * page with an index-only scan and merges them: 190 ms → 1 ms for someone following 17
 * popular creators among 1M videos (BENCHMARKS.md).
 */
export async function up(db: AnyDb): Promise<void> {
  await sql`CREATE INDEX videos_owner_feed_idx ON videos (owner_id, created_at DESC, id DESC)
            WHERE status = 'ready' AND visibility = 'public' AND deleted_at IS NULL`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`DROP INDEX videos_owner_feed_idx`.execute(db);
}
