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
    description:
      "Registers this phone's APNs (`ios`) or FCM (`android`) token for push. Registering a token again is harmless and moves it to this account and sign-in; signing out of this session removes it. At most 10 devices per account: the oldest is forgotten. Keep the answer's `id` to unregister.",
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
    summary: 'Stop push to one of your devices',
    description:
      "Stops push to one of your devices (the `id` from registering it). Someone else's device, or one already gone, is 404.",
    errors: ['not_found'],
    tags: ['notifications'],
    params: IdParams,
  }),
  getPushPreferences: route({
    method: 'GET',
    path: '/v1/notifications/preferences',
    domain: 'notifications',
    auth: 'required',
    summary: 'Which notification types you get as push (all on by default; likes arrive batched)',
    description:
      'Which kinds of notification reach your devices as push: likes (batched: one push per video per minute), comments, follows, glitches of your videos and your AI jobs. All are on by default; the in-app list always has everything.',
    tags: ['notifications'],
    response: PushPreferences,
  }),
  updatePushPreferences: route({
    method: 'PATCH',
    path: '/v1/notifications/preferences',
    domain: 'notifications',
    auth: 'required',
    summary: 'Turn push for some notification types on or off (the others keep their setting)',
    description:
      'Turns push on or off for the kinds named in the body; the others keep their setting. Name at least one. Answers all settings.',
    tags: ['notifications'],
    body: UpdatePushPreferencesBody,
    response: PushPreferences,
  }),
};
