import { resetPasswordWithLink } from '../../shared/accounts/password-reset.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const resetPassword: RouteHandler<Routes['resetPassword']> = async ({ body }) => {
  await resetPasswordWithLink(getDb(), body.token, body.password);
  return undefined;
};
