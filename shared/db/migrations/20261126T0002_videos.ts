import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('videos')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('uploading').check(sql`status IN ('uploading','processing','ready','failed')`),
    )
    .addColumn('failure_reason', 'text')
    .addColumn('visibility', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`visibility IN ('public','private')`),
    )
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(caption) <= 2200`))
    // upload: a person's file; glitch/template: made by an AI job (ai_job_id).
    .addColumn('origin', 'text', (c) =>
      c.notNull().defaultTo('upload').check(sql`origin IN ('upload','glitch','template')`),
    )
    .addColumn('ai_job_id', 'uuid', (c) => c.unique())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('thumbnail_key', 'text')
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('declared_size_bytes', 'bigint')
    .addColumn('size_bytes', 'bigint')
    .addColumn('duration_ms', 'integer', (c) => c.check(sql`duration_ms >= 0`))
    .addColumn('width', 'integer', (c) => c.check(sql`width > 0`))
    .addColumn('height', 'integer', (c) => c.check(sql`height > 0`))
    .addColumn('like_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`like_count >= 0`))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`comment_count >= 0`))
    .addColumn('glitch_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`glitch_count >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // Public feed: newest first, keyset on (created_at, id), only what the feed may show.
  await sql`CREATE INDEX videos_feed_idx ON videos (created_at DESC, id DESC)
            WHERE status = 'ready' AND visibility = 'public' AND deleted_at IS NULL`.execute(db);
  // A person's videos (profile, following feed, "my uploads").
  await sql`CREATE INDEX videos_owner_idx ON videos (owner_id, created_at DESC, id DESC)
            WHERE deleted_at IS NULL`.execute(db);
  // Caption search: case-insensitive partial match, works for Hangul and other scripts.
  await sql`CREATE INDEX videos_caption_trgm ON videos USING gin (lower(caption) gin_trgm_ops)
            WHERE status = 'ready' AND visibility = 'public' AND deleted_at IS NULL`.execute(db);

  // Glitch chains: original -> glitch -> glitch of a glitch. root_video_id lets
  // "where did this come from" answer in one lookup however deep the chain is.
  await db.schema
    .createTable('video_glitches')
    .addColumn('glitch_video_id', 'uuid', (c) => c.primaryKey().references('videos.id').onDelete('cascade'))
    .addColumn('source_video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('root_video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('animate','replace')`))
    .addColumn('depth', 'integer', (c) => c.notNull().check(sql`depth >= 1`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX video_glitches_source_idx ON video_glitches (source_video_id, created_at DESC, glitch_video_id DESC)`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('video_glitches').execute();
  await db.schema.dropTable('videos').execute();
}
