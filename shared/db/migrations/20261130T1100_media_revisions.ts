import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Server-owned media per video and revision (shared/storage/keys.ts): uploads/ becomes an inbox,
 * and a ready video is served from its playback rendition, poster and preview. Add-only, so the
 * previous release keeps working: rows made before this have NULL keys and are still served
 * from source_key/thumbnail_key (shared/videos/view.ts).
 * - media_rev: the last revision number handed out (each processing run and each move between
 *   public and private media takes the next one), so every revision's keys can be rebuilt and
 *   removed without listing the bucket.
 * - processing_lease_until: one processing run at a time (a transcode takes minutes; duplicate S3
 *   events during it are dropped), renewed while it runs, so a crashed run's retry can take over.
 * - studio_selections_video_idx: removing a video removes the clips cut from it (removeVideoMedia).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('videos')
    .addColumn('media_rev', 'integer', (c) => c.notNull().defaultTo(0).check(sql`media_rev >= 0`))
    .addColumn('playback_key', 'text')
    .addColumn('poster_key', 'text')
    .addColumn('preview_key', 'text')
    .addColumn('original_key', 'text')
    .addColumn('processing_lease_until', 'timestamptz')
    .execute();
  await sql`CREATE INDEX studio_selections_video_idx ON studio_selections (video_id)`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`DROP INDEX studio_selections_video_idx`.execute(db);
  await db.schema
    .alterTable('videos')
    .dropColumn('media_rev')
    .dropColumn('playback_key')
    .dropColumn('poster_key')
    .dropColumn('preview_key')
    .dropColumn('original_key')
    .dropColumn('processing_lease_until')
    .execute();
}
