import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('ai_jobs')
    // A dispatcher holds a short lease while it creates the prediction, so a redelivered
    // message cannot start a second prediction for the same job.
    .addColumn('dispatch_lease_until', 'timestamptz')
    .addColumn('selection_id', 'uuid', (c) => c.references('studio_selections.id').onDelete('set null'))
    .addColumn('result_asset_id', 'uuid', (c) => c.references('media_assets.id').onDelete('set null'))
    .execute();
  await sql`CREATE INDEX ai_jobs_result_video_idx ON ai_jobs (result_video_id) WHERE result_video_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  await sql`DROP INDEX ai_jobs_result_video_idx`.execute(db);
  await db.schema
    .alterTable('ai_jobs')
    .dropColumn('result_asset_id')
    .dropColumn('selection_id')
    .dropColumn('dispatch_lease_until')
    .execute();
}
