import type { RouteDocs } from '../../shared/http/route.ts';
import type { notificationsRoutes } from './routes.ts';

/** The OpenAPI text of the notifications routes: read by the document generator, never bundled into a Lambda. */
export const notificationsDocs = {
  listNotifications: {
    summary: 'Your notifications, newest first (keyset pagination), with actor, video and comment',
    description:
      'Your notifications, newest first: likes, comments, follows and glitches of your videos. Those about deleted videos or comments are hidden.',
  },
  unreadNotificationCount: {
    summary: 'How many of your notifications are unread',
    description: 'How many of your notifications are unread (for a badge).',
  },
  markNotificationRead: {
    summary: 'Mark one of your notifications read (idempotent)',
    description: 'Marks one of your notifications read.',
  },
  markAllNotificationsRead: {
    summary: 'Mark all your notifications read',
    description: 'Marks all your notifications read.',
  },
  registerPushDevice: {
    summary:
      'Register this device for push (APNs or FCM token); idempotent per token. Signing out of this session removes it',
    description:
      "Registers this phone's APNs (`ios`) or FCM (`android`) token for push. Registering a token again is harmless and moves it to this account and sign-in; signing out of this session removes it. At most 10 devices per account: the oldest is forgotten. Keep the answer's `id` to unregister.",
  },
  unregisterPushDevice: {
    summary: 'Stop push to one of your devices',
    description:
      "Stops push to one of your devices (the `id` from registering it). Someone else's device, or one already gone, is 404.",
  },
  getPushPreferences: {
    summary: 'Which notification types you get as push (all on by default; likes arrive batched)',
    description:
      'Which kinds of notification reach your devices as push: likes (batched: one push per video per minute), comments, follows, glitches of your videos and your AI jobs. All are on by default; the in-app list always has everything.',
  },
  updatePushPreferences: {
    summary: 'Turn push for some notification types on or off (the others keep their setting)',
    description:
      'Turns push on or off for the kinds named in the body; the others keep their setting. Name at least one. Answers all settings.',
  },
} satisfies RouteDocs<typeof notificationsRoutes>;
