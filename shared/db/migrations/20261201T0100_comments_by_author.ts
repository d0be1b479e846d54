import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * A person's comments are found by author: a suspension (or its end) recounts the threads around
 * them (shared/comments/suspension.ts recountThreadsOf), and the account purge removes them in
 * batches. Without it, each of those scanned every comment.
 */
export async function up(db: AnyDb): Promise<void> {
  await sql`CREATE INDEX comments_author_idx ON comments (author_id)`.execute(db);
}
