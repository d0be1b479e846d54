import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Accounts people can manage (issue 14): email verification, password reset, profile changes,
 * avatars, deletion and data export.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en').check(sql`locale IN ('en','ko')`))
    .addColumn('username_changed_at', 'timestamptz')
    // The avatar upload the pipeline may install (a later request supersedes an earlier one).
    .addColumn('pending_avatar_id', 'uuid')
    // Set by DELETE /v1/account (invisible at once); purged_at when the worker has finished.
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('purged_at', 'timestamptz')
    .execute();
  // Accounts from before verification existed keep their credits and count as verified.
  await sql`UPDATE users SET email_verified_at = created_at`.execute(db);
  // Sign-up credits now arrive with verification (a ledger entry), not with the row.
  await sql`ALTER TABLE users ALTER COLUMN credits SET DEFAULT 0`.execute(db);
  // An email belongs to the account that verified it. Unverified sign-ups only claim it, so a
  // sign-up with an address that already has an account creates nothing the owner can see.
  await sql`DROP INDEX users_email_key`.execute(db);
  await sql`CREATE UNIQUE INDEX users_email_key ON users (email)
            WHERE email_verified_at IS NOT NULL AND deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX users_email_claims_idx ON users (email, created_at DESC)`.execute(db);
  // A deleted account keeps an anonymous row (ledger rows and glitch chains point at it) whose
  // name no sign-up can take: "~deleted~" + the id's hex.
  await sql`ALTER TABLE users DROP CONSTRAINT users_username_check`.execute(db);
  await sql`ALTER TABLE users ADD CONSTRAINT users_username_check CHECK (
              username ~ '^[A-Za-z0-9_.]{3,30}$'
              OR (deleted_at IS NOT NULL AND username ~ '^~deleted~[0-9a-f]{32}$'))`.execute(db);
  await sql`CREATE INDEX users_pending_purge_idx ON users (deleted_at) WHERE deleted_at IS NOT NULL AND purged_at IS NULL`.execute(
    db,
  );

  // A renamed account's old name stays its own for 30 days.
  await db.schema
    .createTable('username_reservations')
    .addColumn('username_lower', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reserved_until', 'timestamptz', (c) => c.notNull())
    .execute();

  // Single-use links sent by mail: only a SHA-256 of each token is stored.
  await db.schema
    .createTable('email_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('verify_email','reset_password')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose, created_at DESC)`.execute(
    db,
  );

  await db.schema
    .createTable('account_exports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status IN ('queued','building','ready','failed')`),
    )
    .addColumn('object_key', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('download_token_hash', 'text', (c) => c.unique())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX account_exports_user_idx ON account_exports (user_id, created_at DESC)`.execute(db);

  // "Your export is ready" has no actor.
  await sql`ALTER TABLE notifications ALTER COLUMN actor_id DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_type_check`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check
            CHECK (type IN ('like','comment','follow','glitch','export_ready'))`.execute(db);
  await db.schema
    .alterTable('notifications')
    .addColumn('export_id', 'uuid', (c) => c.references('account_exports.id').onDelete('cascade'))
    .execute();

  // A deleted account's comment that others answered stays as a placeholder (body hidden).
  await db.schema.alterTable('comments').addColumn('redacted_at', 'timestamptz').execute();

  // A deleted account's remaining balance leaves through the ledger, so sum(ledger) = credits holds.
  await sql`ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_reason_check`.execute(db);
  await sql`ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_reason_check
            CHECK (reason IN ('signup_bonus','job_spend','job_refund','adjustment','account_closed'))`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  await sql`ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_reason_check`.execute(db);
  await sql`ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_reason_check
            CHECK (reason IN ('signup_bonus','job_spend','job_refund','adjustment'))`.execute(db);
  await db.schema.alterTable('comments').dropColumn('redacted_at').execute();
  await db.schema.alterTable('notifications').dropColumn('export_id').execute();
  await sql`DELETE FROM notifications WHERE type = 'export_ready' OR actor_id IS NULL`.execute(db);
  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_type_check`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check
            CHECK (type IN ('like','comment','follow','glitch'))`.execute(db);
  await sql`ALTER TABLE notifications ALTER COLUMN actor_id SET NOT NULL`.execute(db);
  await db.schema.dropTable('account_exports').execute();
  await db.schema.dropTable('email_tokens').execute();
  await db.schema.dropTable('username_reservations').execute();
  await sql`DROP INDEX users_pending_purge_idx`.execute(db);
  await sql`ALTER TABLE users DROP CONSTRAINT users_username_check`.execute(db);
  await sql`ALTER TABLE users ADD CONSTRAINT users_username_check CHECK (username ~ '^[A-Za-z0-9_.]{3,30}$')`.execute(
    db,
  );
  await sql`DROP INDEX users_email_claims_idx`.execute(db);
  await sql`DROP INDEX users_email_key`.execute(db);
  await sql`DELETE FROM users WHERE email_verified_at IS NULL OR deleted_at IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX users_email_key ON users (email)`.execute(db);
  await sql`ALTER TABLE users ALTER COLUMN credits SET DEFAULT 100`.execute(db);
  await db.schema
    .alterTable('users')
    .dropColumn('email_verified_at')
    .dropColumn('locale')
    .dropColumn('username_changed_at')
    .dropColumn('pending_avatar_id')
    .dropColumn('deleted_at')
    .dropColumn('purged_at')
    .execute();
}
