import { sql } from 'kysely';
import { logger } from '../logging/logger.ts';
import type { Db } from './client.ts';
import type { DatabaseSecret } from './credentials.ts';

/**
 * The role the Lambdas connect as (created NOLOGIN, with DML rights and its timeouts, by
 * migration 20261130T1200_app_role). infra/database.ts names its secret's user after it.
 */
export const APP_DB_ROLE = 'lokiz_app';

/**
 * Lets the application role log in with the password of its secret, the first time only:
 * afterwards the secret's rotation owns the password, and setting it again from a deploy could
 * undo a rotation that is half-way (its AWSPENDING already in the database). Runs as the owner.
 */
export async function provisionAppRole(db: Db, secret: DatabaseSecret): Promise<boolean> {
  if (secret.username !== APP_DB_ROLE) throw new Error(`the app secret's user is not ${APP_DB_ROLE}`);
  const role = await sql<{ rolcanlogin: boolean }>`
    SELECT rolcanlogin FROM pg_roles WHERE rolname = ${APP_DB_ROLE}`.execute(db);
  if (!role.rows[0]) throw new Error(`role ${APP_DB_ROLE} is missing: run the migrations first`);
  if (role.rows[0].rolcanlogin) return false;
  // ALTER ROLE takes no bind parameters: let the server quote the name and the password.
  const statement = await sql<{ ddl: string }>`
    SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', ${APP_DB_ROLE}::text, ${secret.password}::text) AS ddl`.execute(
    db,
  );
  await sql.raw(statement.rows[0]!.ddl).execute(db);
  logger.info('application database role can log in now', { role: APP_DB_ROLE });
  return true;
}
