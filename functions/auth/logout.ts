import { endSession } from '../../shared/auth/sessions.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const logout: RouteHandler<Routes['logout']> = async ({ body }) => {
  await endSession(getDb(), body.refresh_token);
  return undefined;
};
