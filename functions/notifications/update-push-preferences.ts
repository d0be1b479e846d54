import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { changePushPreferences } from '../../shared/push/service.ts';
import type { Routes } from '../routes.ts';

export const updatePushPreferences: RouteHandler<Routes['updatePushPreferences']> = async ({ body, user }) =>
  changePushPreferences(getDb(), user.id, body);
