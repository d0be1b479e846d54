import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * Per-client counters (shared/limits/): one row per key (`login:<email>`, `signup:<ip>`,
 * `ai:<user id>`), changed only by single-statement upserts, so concurrent Lambdas agree without
 * any shared memory. Rows are pruned once they have been quiet for a day (the reconciler).
 */
export async function up(db: AnyDb): Promise<void> {
  await sql`CREATE TABLE rate_limits (
    key text PRIMARY KEY CHECK (length(key) <= 400),
    window_started_at timestamptz NOT NULL,
    hits integer NOT NULL CHECK (hits >= 0),
    last_hit_at timestamptz NOT NULL,
    blocked_until timestamptz
  )`.execute(db);
  await sql`CREATE INDEX rate_limits_last_hit_idx ON rate_limits (last_hit_at)`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`DROP TABLE rate_limits`.execute(db);
}
