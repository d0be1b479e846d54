import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was at that point in time,
// not as the app's current types say it is.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email = lower(email) AND length(email) <= 254`))
    .addColumn('username', 'text', (c) => c.notNull().check(sql`username ~ '^[A-Za-z0-9_.]{3,30}$'`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) =>
      c.notNull().check(sql`char_length(display_name) BETWEEN 1 AND 50`),
    )
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(bio) <= 300`))
    .addColumn('avatar_key', 'text')
    .addColumn('credits', 'integer', (c) => c.notNull().defaultTo(100).check(sql`credits >= 0`))
    .addColumn('follower_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`follower_count >= 0`))
    .addColumn('following_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`following_count >= 0`))
    .addColumn('video_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`video_count >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Case-insensitive uniqueness: emails are stored lower-cased (CHECK above); usernames keep
  // the case people typed but may not collide with another spelling of the same name.
  await sql`CREATE UNIQUE INDEX users_email_key ON users (email)`.execute(db);
  await sql`CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))`.execute(db);
  // Partial, case-insensitive search on username / display name (search issue).
  await sql`CREATE INDEX users_username_trgm ON users USING gin (lower(username) gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX users_display_name_trgm ON users USING gin (lower(display_name) gin_trgm_ops)`.execute(
    db,
  );

  // Opaque refresh tokens: only a SHA-256 of each is stored. Rotation keeps a family;
  // presenting an already-rotated token revokes the whole family (theft detection).
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('family_id', 'uuid', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rotated_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_user_idx').on('refresh_tokens').column('user_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('refresh_tokens').execute();
  await db.schema.dropTable('users').execute();
}
