import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Live updates and mobile push (shared/realtime/, shared/push/):
 * - live_connections: open API Gateway WebSocket connections, one row per socket, gone when the
 *   socket closes (or answers 410), closed by the sweeper when the access token behind it expires.
 * - event_outbox: what to tell a person, written in the transaction of the action that caused it
 *   (a notification, an AI job's transition, a revoked session); fan-out drains it after commit,
 *   at least once, so an event is never lost with the action committed and never sent for one
 *   rolled back. Its id is the event id clients de-duplicate by.
 * - push_devices / push_preferences / push_like_batches: SNS platform endpoints, per-type opt-outs
 *   (no row = the defaults), and the open window that coalesces like pushes per (recipient, video).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('live_connections')
    .addColumn('connection_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The refresh-token family of the access token it connected with: revoking it closes the socket.
    .addColumn('session_id', 'uuid')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('connected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX live_connections_user_idx ON live_connections (user_id, expires_at)`.execute(db);
  await sql`CREATE INDEX live_connections_expires_idx ON live_connections (expires_at)`.execute(db);

  await db.schema
    .createTable('event_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recipient_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type IN ('notification.created','ai_job.updated','session.revoked')`),
    )
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('live_done_at', 'timestamptz')
    .addColumn('push_done_at', 'timestamptz')
    .addColumn('done_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
  await sql`CREATE INDEX event_outbox_pending_idx ON event_outbox (created_at) WHERE done_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX event_outbox_done_idx ON event_outbox (done_at) WHERE done_at IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .createTable('push_devices')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid')
    .addColumn('platform', 'text', (c) => c.notNull().check(sql`platform IN ('ios','android')`))
    // A device token belongs to one app install: registering it again moves it to the new account.
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('endpoint_arn', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX push_devices_user_idx ON push_devices (user_id)`.execute(db);
  await sql`CREATE INDEX push_devices_session_idx ON push_devices (session_id) WHERE session_id IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .createTable('push_preferences')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('likes', 'boolean', (c) => c.notNull())
    .addColumn('comments', 'boolean', (c) => c.notNull())
    .addColumn('follows', 'boolean', (c) => c.notNull())
    .addColumn('glitches', 'boolean', (c) => c.notNull())
    .addColumn('ai_jobs', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('push_like_batches')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recipient_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('window_start', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('send_after', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .execute();
  // One open window per (recipient, video): every like in it joins the same push.
  await sql`CREATE UNIQUE INDEX push_like_batches_open_key ON push_like_batches (recipient_id, video_id)
            WHERE sent_at IS NULL`.execute(db);
  await sql`CREATE INDEX push_like_batches_due_idx ON push_like_batches (send_after) WHERE sent_at IS NULL`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'push_like_batches',
    'push_preferences',
    'push_devices',
    'event_outbox',
    'live_connections',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
