import { signUp } from '../../shared/accounts/sign-up.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { enforceSignupLimit } from '../../shared/limits/quotas.ts';
import { pickLocale } from '../../shared/mail/locale.ts';
import type { Routes } from '../routes.ts';

export const register: RouteHandler<Routes['register']> = async ({ body, event, clientIp }) => {
  await enforceSignupLimit(getDb(), clientIp);
  return signUp(getDb(), { ...body, locale: pickLocale(event.headers['accept-language']) });
};
