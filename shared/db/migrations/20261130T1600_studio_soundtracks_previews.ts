import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * The studio finishing its work (issue #16). Add-only, so the previous release keeps working.
 * - videos.ai_model: the model that made a glitch or template video (the view's `ai_generated` label),
 *   copied from its job so the feed needs no join; filled in for existing AI videos.
 * - videos.music_*: the AI music put on a video (its job, model and licence), shown in the video's view.
 * - video_soundtracks: requests to put music on a video. Each makes one new media revision through the
 *   upload pipeline, in the apply-soundtrack worker; one pending per video (a partial unique index), and
 *   a retried request finds its row (idempotency key, or the same parameters as the latest request).
 * - studio_previews: one row per proxy clip of (video, revision, range): a hot range is made once, by
 *   whoever inserted the row or took over its expired lease; the others wait for `ready`.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('videos')
    .addColumn('ai_model', 'text')
    .addColumn('music_job_id', 'uuid', (c) => c.references('ai_jobs.id').onDelete('set null'))
    .addColumn('music_model', 'text')
    .addColumn('music_licence', 'text')
    .addColumn('music_licence_url', 'text')
    .execute();
  await sql`UPDATE videos v SET ai_model = j.model FROM ai_jobs j WHERE j.id = v.ai_job_id`.execute(db);

  await db.schema
    .createTable('video_soundtracks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('music_job_id', 'uuid', (c) => c.notNull().references('ai_jobs.id').onDelete('cascade'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode IN ('replace','mix')`))
    .addColumn('music_start_ms', 'integer', (c) => c.notNull().check(sql`music_start_ms >= 0`))
    .addColumn('music_end_ms', 'integer', (c) => c.notNull())
    .addColumn('offset_ms', 'integer', (c) => c.notNull().check(sql`offset_ms >= 0`))
    .addColumn('music_volume', 'real', (c) => c.notNull())
    .addColumn('original_volume', 'real')
    /** The normalised parameters (rules in shared/studio/soundtrack-rules.ts): equal means "the same request". */
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status IN ('queued','processing','ready','failed')`),
    )
    .addColumn('error', 'text')
    /** The revision it made, once ready. */
    .addColumn('media_rev', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addCheckConstraint(
      'video_soundtracks_segment',
      sql`music_end_ms > music_start_ms AND music_end_ms - music_start_ms <= 60000`,
    )
    .addCheckConstraint(
      'video_soundtracks_volumes',
      sql`music_volume BETWEEN 0 AND 2 AND (original_volume IS NULL OR original_volume BETWEEN 0 AND 2)`,
    )
    .execute();
  await sql`CREATE UNIQUE INDEX video_soundtracks_idempotency_idx ON video_soundtracks (user_id, idempotency_key)
            WHERE idempotency_key IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX video_soundtracks_pending_idx ON video_soundtracks (video_id)
            WHERE status IN ('queued','processing')`.execute(db);
  await sql`CREATE INDEX video_soundtracks_video_idx ON video_soundtracks (video_id, created_at DESC)`.execute(
    db,
  );
  // The reconciler's sweep of requests whose message or worker was lost.
  await sql`CREATE INDEX video_soundtracks_open_idx ON video_soundtracks (updated_at)
            WHERE status IN ('queued','processing')`.execute(db);

  await db.schema
    .createTable('studio_previews')
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('media_rev', 'integer', (c) => c.notNull())
    .addColumn('start_ms', 'integer', (c) => c.notNull().check(sql`start_ms >= 0`))
    .addColumn('end_ms', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('making','ready')`))
    .addColumn('clip_key', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'timestamptz')
    /** ffmpeg runs started for this row: 1 unless a maker died and its lease was taken over. */
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('duration_ms', 'integer')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('studio_previews_pk', ['video_id', 'media_rev', 'start_ms', 'end_ms'])
    .addCheckConstraint('studio_previews_range', sql`end_ms > start_ms AND end_ms - start_ms <= 10000`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('studio_previews').execute();
  await db.schema.dropTable('video_soundtracks').execute();
  await db.schema
    .alterTable('videos')
    .dropColumn('ai_model')
    .dropColumn('music_job_id')
    .dropColumn('music_model')
    .dropColumn('music_licence')
    .dropColumn('music_licence_url')
    .execute();
}
