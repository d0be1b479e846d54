import { requestPasswordReset } from '../../shared/accounts/password-reset.ts';
import { getDb } from '../../shared/db/client.ts';
import { Reply, type RouteHandler } from '../../shared/http/route.ts';
import { pickLocale } from '../../shared/mail/locale.ts';
import type { Routes } from '../routes.ts';

export const forgotPassword: RouteHandler<Routes['forgotPassword']> = async ({ body, event }) => {
  await requestPasswordReset(getDb(), body.email, pickLocale(event.headers['accept-language']));
  // The same answer whether or not the address has an account.
  return new Reply(202, { status: 'reset_sent' as const });
};
