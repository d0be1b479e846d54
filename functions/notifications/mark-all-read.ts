import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';
import { markAllRead } from './notifications.repository.ts';

export const markAllNotificationsRead: RouteHandler<Routes['markAllNotificationsRead']> = async ({
  user,
}) => {
  await markAllRead(getDb(), user.id);
  return undefined;
};
