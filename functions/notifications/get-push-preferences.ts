import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { readPushPreferences } from '../../shared/push/service.ts';
import type { Routes } from '../routes.ts';

export const getPushPreferences: RouteHandler<Routes['getPushPreferences']> = async ({ user }) =>
  readPushPreferences(getDb(), user.id);
