import { closeAccount } from '../../shared/accounts/deletion.ts';
import { getDb } from '../../shared/db/client.ts';
import { Reply, type RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const deleteAccount: RouteHandler<Routes['deleteAccount']> = async ({ body, user }) => {
  await closeAccount(getDb(), user, body.password);
  return new Reply(202, { status: 'deletion_scheduled' as const });
};
