import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their own time
type AnyDb = Kysely<any>;

/**
 * The application role the Lambdas connect as: data rights only (no DDL, no TRUNCATE, no role
 * changes), on every table and sequence now and on those later migrations create (default
 * privileges of the migrating role, which owns the schema's objects). Its login and password
 * come from its own Secrets Manager secret (the migrate worker gives them on the first deploy,
 * rotation changes them afterwards), so this migration creates it NOLOGIN.
 *
 * Timeouts live on the role, not in the client: RDS Proxy refuses a statement_timeout startup
 * parameter, and a session-level SET would pin each connection to one proxy backend.
 * Roles are cluster-wide, so it is created only if missing.
 */
export async function up(db: AnyDb): Promise<void> {
  await sql`DO $$
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lokiz_app') THEN
        CREATE ROLE lokiz_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
      END IF;
    END $$`.execute(db);
  await sql`ALTER ROLE lokiz_app SET statement_timeout = '10s'`.execute(db);
  await sql`ALTER ROLE lokiz_app SET idle_in_transaction_session_timeout = '30s'`.execute(db);
  await sql`ALTER ROLE lokiz_app SET lock_timeout = '5s'`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO lokiz_app`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lokiz_app`.execute(db);
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO lokiz_app`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lokiz_app`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO lokiz_app`.execute(
    db,
  );
  // The migrations' own bookkeeping is not the application's business.
  await sql`REVOKE ALL ON kysely_migration, kysely_migration_lock FROM lokiz_app`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM lokiz_app`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM lokiz_app`.execute(db);
  await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM lokiz_app`.execute(db);
  await sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM lokiz_app`.execute(db);
  await sql`REVOKE USAGE ON SCHEMA public FROM lokiz_app`.execute(db);
  // Other databases of the cluster may still grant it something; it stays, without rights here.
  await sql`ALTER ROLE lokiz_app RESET ALL`.execute(db);
}
