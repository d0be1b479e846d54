import { sql } from 'kysely';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

/** A database failure surfaces as 503 database_unavailable through the error middleware. */
export const health: RouteHandler<Routes['health']> = async () => {
  await sql`SELECT 1`.execute(getDb());
  return { status: 'ok', database: 'ok' };
};
