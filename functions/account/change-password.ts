import { replacePassword } from '../../shared/accounts/change-password.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const changePassword: RouteHandler<Routes['changePassword']> = async ({ body, user }) => {
  await replacePassword(getDb(), user, body);
  return undefined;
};
