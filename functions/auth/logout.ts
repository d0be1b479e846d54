import { endSession } from '../../shared/auth/sessions.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const logout: RouteHandler<Routes['logout']> = async ({ body }) => {
  // The revocation and the event that closes its live sockets commit together.
  await getDb()
    .transaction()
    .execute((trx) => endSession(trx, body.refresh_token));
  return undefined;
};
