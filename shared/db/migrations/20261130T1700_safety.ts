import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Trust and safety (issue 13; README "Safety"):
 * - users: `role` (user / moderator / admin), suspension, remix-consent defaults for new uploads,
 *   and the "hide AI content" default;
 * - videos: per-video consent (`allow_glitches`, `allow_frame_capture`), moderation takedown
 *   (`removed_at`, `removed_reason`) and status `held` (an AI output whose poster frame failed
 *   screening, visible to its owner only). The model that made an AI video (`ai_model`, the AI
 *   label) comes with 20261130T1600;
 * - comments: takedown;
 * - media_assets: a character image's screening verdict (screened once, before any credit);
 * - blocks: who blocks whom (a block works both ways; the reverse index serves "blocked by");
 * - reports: one open report per (reporter, target), grouped by target in the moderation queue;
 * - moderation_actions: the audit log, append-only in the database itself (a trigger refuses
 *   UPDATE, DELETE and TRUNCATE), with no foreign keys so no deletion can cascade into it.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('role', 'text', (c) =>
      c.notNull().defaultTo('user').check(sql`role IN ('user','moderator','admin')`),
    )
    .addColumn('suspended_at', 'timestamptz')
    .addColumn('suspended_reason', 'text')
    .addColumn('default_allow_glitches', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('default_allow_frame_capture', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('exclude_ai', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // Tiny (suspended accounts only): the visibility rule reads it once per query as a hashed set.
  await sql`CREATE INDEX users_suspended_idx ON users (id) WHERE suspended_at IS NOT NULL`.execute(db);

  await db.schema
    .alterTable('videos')
    .addColumn('allow_glitches', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('allow_frame_capture', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_reason', 'text')
    .addColumn('media_purged_at', 'timestamptz')
    .execute();
  await sql`ALTER TABLE videos DROP CONSTRAINT videos_status_check`.execute(db);
  await sql`ALTER TABLE videos ADD CONSTRAINT videos_status_check
            CHECK (status IN ('uploading','processing','ready','failed','held'))`.execute(db);

  await db.schema
    .alterTable('comments')
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_reason', 'text')
    .execute();

  await db.schema
    .alterTable('media_assets')
    .addColumn('screening', 'text', (c) => c.check(sql`screening IN ('passed','rejected')`))
    .addColumn('screening_reason', 'text')
    .execute();

  await db.schema
    .createTable('blocks')
    .addColumn('blocker_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('blocked_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('blocks_pkey', ['blocker_id', 'blocked_id'])
    .addCheckConstraint('blocks_not_self', sql`blocker_id <> blocked_id`)
    .execute();
  await sql`CREATE INDEX blocks_blocked_idx ON blocks (blocked_id, blocker_id)`.execute(db);
  await sql`CREATE INDEX blocks_list_idx ON blocks (blocker_id, created_at DESC)`.execute(db);

  await db.schema
    .createTable('reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reporter_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('target_type', 'text', (c) =>
      c.notNull().check(sql`target_type IN ('video','comment','user')`),
    )
    .addColumn('target_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`reason IN ('spam','harassment','nudity','violence','impersonation_or_deepfake','copyright','other')`,
        ),
    )
    .addColumn('note', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(note) <= 500`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status IN ('open','dismissed','actioned')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'uuid')
    .execute();
  // Idempotent per (reporter, target) while open; a resolved target can be reported again.
  await sql`CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, target_type, target_id)
            WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX reports_open_target_idx ON reports (target_type, target_id, created_at)
            WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX reports_reporter_recent_idx ON reports (reporter_id, created_at)`.execute(db);

  await db.schema
    .createTable('moderation_actions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('moderator_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`action IN ('take_down','restore','suspend','unsuspend','dismiss_report','grant_role','release_held')`,
        ),
    )
    .addColumn('target_type', 'text', (c) =>
      c.notNull().check(sql`target_type IN ('video','comment','user','report')`),
    )
    .addColumn('target_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX moderation_actions_target_idx ON moderation_actions (target_type, target_id, created_at)`.execute(
    db,
  );
  await sql`CREATE FUNCTION lokiz_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'moderation_actions is append-only (% refused)', TG_OP
                USING ERRCODE = 'insufficient_privilege';
            END $$`.execute(db);
  await sql`CREATE TRIGGER moderation_actions_append_only BEFORE UPDATE OR DELETE ON moderation_actions
            FOR EACH ROW EXECUTE FUNCTION lokiz_audit_append_only()`.execute(db);
  await sql`CREATE TRIGGER moderation_actions_no_truncate BEFORE TRUNCATE ON moderation_actions
            FOR EACH STATEMENT EXECUTE FUNCTION lokiz_audit_append_only()`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('moderation_actions').execute();
  await sql`DROP FUNCTION lokiz_audit_append_only()`.execute(db);
  await db.schema.dropTable('reports').execute();
  await db.schema.dropTable('blocks').execute();
  await db.schema.alterTable('media_assets').dropColumn('screening').dropColumn('screening_reason').execute();
  await db.schema.alterTable('comments').dropColumn('removed_at').dropColumn('removed_reason').execute();
  await sql`UPDATE videos SET status = 'failed', failure_reason = 'held for review' WHERE status = 'held'`.execute(
    db,
  );
  await sql`ALTER TABLE videos DROP CONSTRAINT videos_status_check`.execute(db);
  await sql`ALTER TABLE videos ADD CONSTRAINT videos_status_check
            CHECK (status IN ('uploading','processing','ready','failed'))`.execute(db);
  await db.schema
    .alterTable('videos')
    .dropColumn('allow_glitches')
    .dropColumn('allow_frame_capture')
    .dropColumn('removed_at')
    .dropColumn('removed_reason')
    .dropColumn('media_purged_at')
    .execute();
  await sql`DROP INDEX users_suspended_idx`.execute(db);
  await db.schema
    .alterTable('users')
    .dropColumn('role')
    .dropColumn('suspended_at')
    .dropColumn('suspended_reason')
    .dropColumn('default_allow_glitches')
    .dropColumn('default_allow_frame_capture')
    .dropColumn('exclude_ai')
    .execute();
}
