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
    summary: 'Your notifications, newest first (keyset pagination), with actor, video and comment',
    description:
      'Your notifications, newest first: likes, comments, follows and glitches of your videos. Those about deleted videos or comments are hidden.',
    tags: ['notifications'],
    query: PageQuery,
    response: NotificationPage,
  }),
  unreadNotificationCount: route({
    method: 'GET',
    path: '/v1/notifications/unread-count',
    domain: 'notifications',
    auth: 'required',
    summary: 'How many of your notifications are unread',
    description: 'How many of your notifications are unread (for a badge).',
    tags: ['notifications'],
    response: UnreadCount,
  }),
  markNotificationRead: route({
    method: 'POST',
    path: '/v1/notifications/{id}/read',
    domain: 'notifications',
    auth: 'required',
    summary: 'Mark one of your notifications read (idempotent)',
    description: 'Marks one of your notifications read.',
    errors: ['not_found'],
    tags: ['notifications'],
    params: IdParams,
  }),
  markAllNotificationsRead: route({
    method: 'POST',
    path: '/v1/notifications/read-all',
    domain: 'notifications',
    auth: 'required',
    summary: 'Mark all your notifications read',
    description: 'Marks all your notifications read.',
    tags: ['notifications'],
  }),
  registerPushDevice: route({
    method: 'POST',
    path: '/v1/notifications/devices',
    domain: 'notifications',
    auth: 'required',
    summary:
      'Register this device for push (APNs or FCM token); idempotent per token. Signing out of this session removes it',
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
    summary: 'Stop push to one of your devices',
    tags: ['notifications'],
    params: IdParams,
  }),
  getPushPreferences: route({
    method: 'GET',
    path: '/v1/notifications/preferences',
    domain: 'notifications',
    auth: 'required',
    summary: 'Which notification types you get as push (all on by default; likes arrive batched)',
    tags: ['notifications'],
    response: PushPreferences,
  }),
  updatePushPreferences: route({
    method: 'PATCH',
    path: '/v1/notifications/preferences',
    domain: 'notifications',
    auth: 'required',
    summary: 'Turn push for some notification types on or off (the others keep their setting)',
    tags: ['notifications'],
    body: UpdatePushPreferencesBody,
    response: PushPreferences,
  }),
};
