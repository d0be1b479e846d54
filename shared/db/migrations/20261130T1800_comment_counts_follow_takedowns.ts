import { type Kysely, type RawBuilder, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Counters now follow what a thread shows: a taken-down comment, and the replies it hides, leave
 * `videos.comment_count`, and a taken-down reply leaves its parent's `reply_count`
 * (shared/comments/service.ts). Recounts what earlier takedowns left counted.
 */
export async function up(db: AnyDb): Promise<void> {
  await recountAfterTakedowns(db);
}

/**
 * Only videos with a taken-down comment, and comments with a taken-down reply, are touched;
 * `videoIds` narrows it further (the test, which shares its database with others).
 */
export async function recountAfterTakedowns(db: AnyDb, videoIds?: readonly string[]): Promise<void> {
  const only = (column: RawBuilder<unknown>): RawBuilder<unknown> =>
    videoIds ? sql`AND ${column} = ANY(${[...videoIds]}::uuid[])` : sql``;
  await sql`UPDATE comments c SET reply_count = (
      SELECT count(*) FROM comments r
      WHERE r.parent_id = c.id AND r.deleted_at IS NULL AND r.removed_at IS NULL)
    WHERE c.id IN (SELECT parent_id FROM comments WHERE removed_at IS NOT NULL AND parent_id IS NOT NULL)
      ${only(sql.ref('c.video_id'))}`.execute(db);
  await sql`UPDATE videos v SET comment_count = (
      SELECT count(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
      WHERE c.video_id = v.id AND c.deleted_at IS NULL AND c.removed_at IS NULL
        AND (c.parent_id IS NULL OR (p.deleted_at IS NULL AND p.removed_at IS NULL)))
    WHERE v.id IN (SELECT video_id FROM comments WHERE removed_at IS NOT NULL)
      ${only(sql.ref('v.id'))}`.execute(db);
}

/** Back to counting every live row, as before. */
export async function down(db: AnyDb): Promise<void> {
  await sql`UPDATE comments c SET reply_count = (
      SELECT count(*) FROM comments r WHERE r.parent_id = c.id AND r.deleted_at IS NULL)
    WHERE c.id IN (SELECT parent_id FROM comments WHERE removed_at IS NOT NULL AND parent_id IS NOT NULL)`.execute(
    db,
  );
  await sql`UPDATE videos v SET comment_count = (
      SELECT count(*) FROM comments c WHERE c.video_id = v.id AND c.deleted_at IS NULL)
    WHERE v.id IN (SELECT video_id FROM comments WHERE removed_at IS NOT NULL)`.execute(db);
}
