import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { listNotifications } from './list-notifications.ts';
import { markAllNotificationsRead } from './mark-all-read.ts';
import { markNotificationRead } from './mark-read.ts';
import { notificationsRoutes } from './routes.ts';
import { unreadNotificationCount } from './unread-count.ts';

export const handler = createDomainHandler(notificationsRoutes, 'notifications', {
  listNotifications,
  unreadNotificationCount,
  markNotificationRead,
  markAllNotificationsRead,
});
