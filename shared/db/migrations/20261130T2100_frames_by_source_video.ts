import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Frames captured from a video are found by it: deleting the video (its owner, an account
 * deletion, a takedown that purges its media) deletes them too (shared/videos/media.ts), and the
 * foreign key's ON DELETE SET NULL needs the index as well, or every video row purged scans
 * media_assets.
 */
export async function up(db: AnyDb): Promise<void> {
  await sql`CREATE INDEX media_assets_source_video_idx ON media_assets (source_video_id)
            WHERE source_video_id IS NOT NULL`.execute(db);
}
