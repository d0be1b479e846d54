import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Images a person brings to the studio: uploaded character images and captured frames.
  await db.schema
    .createTable('media_assets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind IN ('character_image','frame','clip','audio')`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('uploading').check(sql`status IN ('uploading','ready','failed')`),
    )
    .addColumn('object_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint')
    .addColumn('source_video_id', 'uuid', (c) => c.references('videos.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX media_assets_owner_idx ON media_assets (owner_id, created_at DESC)`.execute(db);

  // A ≤10 s range of a video cut by the studio; glitch requests refer to it.
  await db.schema
    .createTable('studio_selections')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('start_ms', 'integer', (c) => c.notNull().check(sql`start_ms >= 0`))
    .addColumn('end_ms', 'integer', (c) => c.notNull())
    .addColumn('clip_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('studio_selections_range', sql`end_ms > start_ms AND end_ms - start_ms <= 10000`)
    .execute();
  await sql`CREATE INDEX studio_selections_user_idx ON studio_selections (user_id, created_at DESC)`.execute(
    db,
  );

  await db.schema
    .createTable('ai_jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind IN ('capture_frame','template','glitch_animate','glitch_replace','music')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status IN ('queued','starting','processing','succeeded','failed','canceled','aborted')`),
    )
    .addColumn('cost', 'integer', (c) => c.notNull().check(sql`cost >= 0`))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('prediction_id', 'text', (c) => c.unique())
    .addColumn('input', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('output', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('source_video_id', 'uuid', (c) => c.references('videos.id').onDelete('set null'))
    .addColumn('result_video_id', 'uuid', (c) => c.references('videos.id').onDelete('set null'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX ai_jobs_user_idx ON ai_jobs (user_id, created_at DESC, id DESC)`.execute(db);
  // The reconciler's scan: only non-terminal jobs, oldest update first.
  await sql`CREATE INDEX ai_jobs_open_idx ON ai_jobs (status, updated_at)
            WHERE status IN ('queued','starting','processing')`.execute(db);

  // Every credit movement, signed. sum(amount) per user equals users.credits; the unique
  // idempotency key makes a retried spend or refund a no-op instead of a double charge.
  await db.schema
    .createTable('credit_ledger')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount <> 0`))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason IN ('signup_bonus','job_spend','job_refund','adjustment')`),
    )
    .addColumn('job_id', 'uuid', (c) => c.references('ai_jobs.id').onDelete('set null'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('balance_after', 'integer', (c) => c.notNull().check(sql`balance_after >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX credit_ledger_user_idx ON credit_ledger (user_id, created_at DESC)`.execute(db);

  // Replicate webhook deliveries already applied (webhook-id is stable across retries).
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('webhook_id', 'text', (c) => c.primaryKey())
    .addColumn('prediction_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('credit_ledger').execute();
  await db.schema.dropTable('ai_jobs').execute();
  await db.schema.dropTable('studio_selections').execute();
  await db.schema.dropTable('media_assets').execute();
}
