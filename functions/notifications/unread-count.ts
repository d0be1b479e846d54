import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { countUnread } from '../../shared/notifications/repository.ts';
import type { Routes } from '../routes.ts';

export const unreadNotificationCount: RouteHandler<Routes['unreadNotificationCount']> = async ({ user }) => ({
  unread_count: await countUnread(getDb(), user.id),
});
