import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import { NotificationPage } from '../../shared/notifications/view.ts';
import { UnreadCount } from './schemas.ts';

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
};
