import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('likes')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('likes_pkey', ['user_id', 'video_id'])
    .execute();
  await sql`CREATE INDEX likes_video_idx ON likes (video_id, created_at DESC)`.execute(db);

  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('parent_id', 'uuid', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull().check(sql`char_length(body) BETWEEN 1 AND 500`))
    .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reply_count >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX comments_video_idx ON comments (video_id, created_at DESC, id DESC)
            WHERE deleted_at IS NULL AND parent_id IS NULL`.execute(db);
  await sql`CREATE INDEX comments_parent_idx ON comments (parent_id, created_at, id)
            WHERE deleted_at IS NULL AND parent_id IS NOT NULL`.execute(db);

  await db.schema
    .createTable('follows')
    .addColumn('follower_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('followee_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('follows_pkey', ['follower_id', 'followee_id'])
    .addCheckConstraint('follows_no_self', sql`follower_id <> followee_id`)
    .execute();
  await sql`CREATE INDEX follows_followee_idx ON follows (followee_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX follows_follower_idx ON follows (follower_id, created_at DESC)`.execute(db);

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recipient_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('actor_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ('like','comment','follow','glitch')`))
    .addColumn('video_id', 'uuid', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('comment_id', 'uuid', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('read_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('notifications_not_self', sql`recipient_id <> actor_id`)
    .execute();
  await sql`CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE read_at IS NULL`.execute(
    db,
  );
  // A like/unlike/like storm leaves one unread like notification per actor and video.
  await sql`CREATE UNIQUE INDEX notifications_unread_like_key ON notifications (recipient_id, actor_id, video_id)
            WHERE type = 'like' AND read_at IS NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX notifications_unread_follow_key ON notifications (recipient_id, actor_id)
            WHERE type = 'follow' AND read_at IS NULL`.execute(db);

  await db.schema
    .createTable('hashtags')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Case-folded (lower) and NFC-normalised by the app before insert.
    .addColumn('tag', 'text', (c) => c.notNull().unique().check(sql`char_length(tag) BETWEEN 1 AND 100`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX hashtags_tag_trgm ON hashtags USING gin (tag gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('video_hashtags')
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('hashtag_id', 'uuid', (c) => c.notNull().references('hashtags.id').onDelete('cascade'))
    // Copied from the video so "videos for #tag, newest first" and "trending in the last 24 h"
    // are index range scans on this table alone.
    .addColumn('video_created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('video_hashtags_pkey', ['video_id', 'hashtag_id'])
    .execute();
  await sql`CREATE INDEX video_hashtags_tag_idx ON video_hashtags (hashtag_id, video_created_at DESC, video_id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX video_hashtags_recent_idx ON video_hashtags (video_created_at, hashtag_id)`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('video_hashtags').execute();
  await db.schema.dropTable('hashtags').execute();
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('follows').execute();
  await db.schema.dropTable('comments').execute();
}
