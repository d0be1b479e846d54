import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { getPushPreferences } from './get-push-preferences.ts';
import { listNotifications } from './list-notifications.ts';
import { markAllNotificationsRead } from './mark-all-read.ts';
import { markNotificationRead } from './mark-read.ts';
import { registerPushDevice } from './register-device.ts';
import { notificationsRoutes } from './routes.ts';
import { unreadNotificationCount } from './unread-count.ts';
import { unregisterPushDevice } from './unregister-device.ts';
import { updatePushPreferences } from './update-push-preferences.ts';

export const handler = createDomainHandler(notificationsRoutes, 'notifications', {
  listNotifications,
  unreadNotificationCount,
  markNotificationRead,
  markAllNotificationsRead,
  registerPushDevice,
  unregisterPushDevice,
  getPushPreferences,
  updatePushPreferences,
});
