import type { JobKind, NotificationType } from '../db/schema.ts';

/** The per-type push switches a person has (README: Live updates and push). */
export const PUSH_PREFERENCE_KEYS = ['likes', 'comments', 'follows', 'glitches', 'ai_jobs'] as const;
export type PushPreferenceKey = (typeof PUSH_PREFERENCE_KEYS)[number];
export type PushPreferences = Record<PushPreferenceKey, boolean>;

/** Everything on until the person says otherwise: likes arrive batched, so they don't nag. */
export const DEFAULT_PUSH_PREFERENCES: PushPreferences = {
  likes: true,
  comments: true,
  follows: true,
  glitches: true,
  ai_jobs: true,
};

/**
 * Which switch governs a notification's push (a new notification type must pick one); null: no
 * push at all (an export being ready is mailed with its link already).
 */
export const PREFERENCE_OF: Record<NotificationType, PushPreferenceKey | null> = {
  like: 'likes',
  comment: 'comments',
  follow: 'follows',
  glitch: 'glitches',
  export_ready: null,
};

/** Notification types pushed one by one (likes are batched; some are never pushed). */
export type SinglePushType = Exclude<NotificationType, 'like' | 'export_ready'>;

/**
 * One push, platform-neutral. `data` holds ids only (what the app opens); the text names the
 * actor by the public username, which the recipient sees over HTTP too. `collapseId` makes a
 * redelivered push replace the first on the device (APNs collapse id, FCM collapse key / tag).
 */
export interface PushMessage {
  title: string;
  body: string;
  data: Record<string, string>;
  collapseId: string;
}

const TITLE = 'LOKIZ';

export function likesMessage(
  batchId: string,
  videoId: string,
  count: number,
  latest: string | null,
): PushMessage {
  const body = count === 1 && latest ? `@${latest} liked your video` : `${count} people liked your video`;
  return { title: TITLE, body, data: { type: 'likes', video_id: videoId }, collapseId: batchId };
}

const NOTIFICATION_TEXT: Record<SinglePushType, (actor: string) => string> = {
  comment: (a) => `@${a} commented on your video`,
  follow: (a) => `@${a} started following you`,
  glitch: (a) => `@${a} glitched your video`,
};

export function notificationMessage(
  eventId: string,
  n: { id: string; type: SinglePushType; actor_username: string; video_id: string | null },
): PushMessage {
  return {
    title: TITLE,
    body: NOTIFICATION_TEXT[n.type](n.actor_username),
    data: { type: n.type, notification_id: n.id, ...(n.video_id ? { video_id: n.video_id } : {}) },
    collapseId: eventId,
  };
}

const JOB_NOUN: Record<JobKind, string> = {
  glitch_animate: 'glitch',
  glitch_replace: 'glitch',
  template: 'video',
  music: 'music',
  capture_frame: 'frame',
};

export function jobMessage(eventId: string, job: { id: string; kind: JobKind }, ok: boolean): PushMessage {
  const noun = JOB_NOUN[job.kind];
  return {
    title: TITLE,
    body: ok ? `Your ${noun} is ready` : `Your ${noun} could not be made; its credits were refunded`,
    data: { type: 'ai_job', job_id: job.id },
    collapseId: eventId,
  };
}

/** SNS `MessageStructure: json`: one payload per platform, plus the APNs attributes. */
export function platformPayload(m: PushMessage): {
  message: Record<string, string>;
  attributes: Record<string, string>;
} {
  const apns = JSON.stringify({
    aps: { alert: { title: m.title, body: m.body }, sound: 'default' },
    ...m.data,
  });
  const fcm = JSON.stringify({
    fcmV1Message: {
      message: {
        notification: { title: m.title, body: m.body },
        data: m.data,
        android: { collapse_key: m.collapseId, notification: { tag: m.collapseId } },
      },
    },
  });
  return {
    message: { default: m.body, APNS: apns, APNS_SANDBOX: apns, GCM: fcm },
    attributes: { 'AWS.SNS.MOBILE.APNS.COLLAPSE_ID': m.collapseId, 'AWS.SNS.MOBILE.APNS.PUSH_TYPE': 'alert' },
  };
}
