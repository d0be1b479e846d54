import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import { NotificationPage } from '../../shared/notifications/view.ts';
import { PushDevice, PushPreferences } from '../../shared/push/view.ts';
import { RegisterDeviceBody, UnreadCount, UpdatePushPreferencesBody } from './schemas.ts';

/** The notifications domain's entries of the route table (merged in functions/routes.ts). */
export const notificationsRoutes = {
  listNotifications: route({
    method: 'GET',
    path: '/v1/notifications',
    domain: 'notifications',
    auth: 'required',
    tags: ['notifications'],
    query: PageQuery,
    response: NotificationPage,
  }),
  unreadNotificationCount: route({
    method: 'GET',
    path: '/v1/notifications/unread-count',
    domain: 'notifications',
    auth: 'required',
    tags: ['notifications'],
    response: UnreadCount,
  }),
  markNotificationRead: route({
    method: 'POST',
    path: '/v1/notifications/{id}/read',
    domain: 'notifications',
    auth: 'required',
    errors: ['not_found'],
    tags: ['notifications'],
    params: IdParams,
  }),
  markAllNotificationsRead: route({
    method: 'POST',
    path: '/v1/notifications/read-all',
    domain: 'notifications',
    auth: 'required',
    tags: ['notifications'],
  }),
  registerPushDevice: route({
    method: 'POST',
    path: '/v1/notifications/devices',
    domain: 'notifications',
    auth: 'required',
    errors: ['push_not_configured'],
    tags: ['notifications'],
    body: RegisterDeviceBody,
    response: PushDevice,
    status: 201,
  }),
  unregisterPushDevice: route({
    method: 'DELETE',
    path: '/v1/notifications/devices/{id}',
    domain: 'notifications',
    auth: 'required',
    errors: ['not_found'],
    tags: ['notifications'],
    params: IdParams,
  }),
  getPushPreferences: route({
    method: 'GET',
    path: '/v1/notifications/preferences',
    domain: 'notifications',
    auth: 'required',
    tags: ['notifications'],
    response: PushPreferences,
  }),
  updatePushPreferences: route({
    method: 'PATCH',
    path: '/v1/notifications/preferences',
    domain: 'notifications',
    auth: 'required',
    tags: ['notifications'],
    body: UpdatePushPreferencesBody,
    response: PushPreferences,
  }),
};
