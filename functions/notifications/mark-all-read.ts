import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { markAllRead } from '../../shared/notifications/repository.ts';
import type { Routes } from '../routes.ts';

export const markAllNotificationsRead: RouteHandler<Routes['markAllNotificationsRead']> = async ({
  user,
}) => {
  await markAllRead(getDb(), user.id);
  return undefined;
};
