import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Moderators hear of new reports live: the outbox takes `moderation.report_opened` events
 * (shared/reports/service.ts records them for every moderator and admin).
 */
export async function up(db: AnyDb): Promise<void> {
  await sql`ALTER TABLE event_outbox DROP CONSTRAINT event_outbox_type_check`.execute(db);
  await sql`ALTER TABLE event_outbox ADD CONSTRAINT event_outbox_type_check
            CHECK (type IN ('notification.created','ai_job.updated','session.revoked','moderation.report_opened'))`.execute(
    db,
  );
}
