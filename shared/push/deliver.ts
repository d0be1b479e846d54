import { findJob } from '../ai/repository.ts';
import type { DbOrTrx } from '../db/client.ts';
import { recentLikers } from '../likes/repository.ts';
import { logger } from '../logging/logger.ts';
import { findNotificationForPush } from '../notifications/repository.ts';
import { enqueueFanout } from '../realtime/fanout-queue.ts';
import { AiJobUpdatedData, NotificationCreatedData } from '../realtime/protocol.ts';
import {
  jobMessage,
  likesMessage,
  notificationMessage,
  PREFERENCE_OF,
  type PushMessage,
  platformPayload,
  type SinglePushType,
} from './compose.ts';
import { pushEnv } from './config.ts';
import {
  claimLikeBatch,
  deleteDevices,
  deleteSessionDevices,
  joinLikeBatch,
  listDevices,
  markLikeBatchSent,
  releaseLikeBatch,
} from './repository.ts';
import { readPushPreferences } from './service.ts';
import { deleteEndpoint, publishToEndpoint } from './sns.ts';

/** How long one attempt may hold a like window before another may send it. */
const BATCH_LEASE_SECONDS = 60;

/**
 * Sends one push to each of a person's devices. A device whose endpoint SNS reports disabled
 * (APNs/FCM rejected the token) or deleted is forgotten. Any other failure is rethrown after the
 * other devices had their turn, so the event is retried; a device that already got it gets it
 * again, and the collapse id makes the second replace the first.
 */
async function publishToUser(db: DbOrTrx, userId: string, message: PushMessage): Promise<void> {
  const { message: payload, attributes } = platformPayload(message);
  let failure: unknown;
  for (const device of await listDevices(db, userId)) {
    try {
      const outcome = await publishToEndpoint(device.endpoint_arn, payload, attributes);
      if (outcome === 'sent') continue;
      await deleteDevices(db, [device.id]);
      if (outcome === 'disabled') await deleteEndpoint(device.endpoint_arn);
      logger.info('push device forgotten', { device_id: device.id, outcome });
    } catch (err) {
      failure = err;
    }
  }
  if (failure) throw failure;
}

/** The push step of one outbox event; returning means done (sent, batched, or nothing to send). */
export async function pushEvent(
  db: DbOrTrx,
  event: { id: string; type: string; recipient_id: string; data: unknown; created_at: Date },
): Promise<void> {
  if (event.type === 'notification.created') {
    const { notification_id } = NotificationCreatedData.parse(event.data);
    // Withdrawn meanwhile (unlike, unfollow) or about something deleted: nothing to say.
    const n = await findNotificationForPush(db, notification_id);
    if (!n) return;
    const prefs = await readPushPreferences(db, event.recipient_id);
    const preference = PREFERENCE_OF[n.type];
    if (!preference || !prefs[preference]) return;
    if (n.type === 'like') {
      if (n.video_id) await joinLikeWindow(db, event.recipient_id, n.video_id, event.created_at);
      return;
    }
    return publishToUser(
      db,
      event.recipient_id,
      notificationMessage(event.id, { ...n, type: n.type as SinglePushType }),
    );
  }
  if (event.type === 'ai_job.updated') {
    const update = AiJobUpdatedData.parse(event.data);
    const ready = update.result === 'ready';
    const failed = update.status === 'failed' || update.status === 'aborted' || update.result === 'failed';
    if (!ready && !failed) return;
    if (!(await readPushPreferences(db, event.recipient_id)).ai_jobs) return;
    const job = await findJob(db, update.job_id);
    if (job) await publishToUser(db, event.recipient_id, jobMessage(event.id, job, ready));
  }
}

/**
 * A like joins its video's open window instead of pushing; the like that opens the window also
 * sends the window's wake-up, delayed until it is due. Should that send fail, the sweeper finds
 * the due window anyway.
 */
async function joinLikeWindow(db: DbOrTrx, recipientId: string, videoId: string, likedAt: Date) {
  const windowSeconds = pushEnv().PUSH_LIKE_WINDOW_SECONDS;
  const batch = await joinLikeBatch(db, { recipientId, videoId, likedAt, windowSeconds });
  if (!batch.opened) return;
  try {
    await enqueueFanout([{ kind: 'like_batch', batch_id: batch.id }], { delaySeconds: windowSeconds });
  } catch (err) {
    logger.warn('could not schedule a like push; the sweeper will send it', { error: err as Error });
  }
}

/** Sends a due like window as one push: "@ann liked your video" or "12 people liked your video". */
export async function sendLikeBatch(db: DbOrTrx, batchId: string): Promise<void> {
  const batch = await claimLikeBatch(db, batchId, BATCH_LEASE_SECONDS);
  if (!batch) return;
  try {
    if ((await readPushPreferences(db, batch.recipient_id)).likes) {
      const { count, latestUsername } = await recentLikers(db, batch.video_id, batch.window_start);
      // Every like of the window taken back: nothing to say.
      if (count > 0) {
        await publishToUser(
          db,
          batch.recipient_id,
          likesMessage(batch.id, batch.video_id, count, latestUsername),
        );
      }
    }
    await markLikeBatchSent(db, batch.id);
  } catch (err) {
    await releaseLikeBatch(db, batch.id);
    throw err;
  }
}

/** A revoked sign-in's phone stops getting pushes: its devices and their endpoints go. */
export async function forgetSessionDevices(db: DbOrTrx, userId: string, sessionId: string): Promise<void> {
  for (const { endpoint_arn } of await deleteSessionDevices(db, userId, sessionId)) {
    await deleteEndpoint(endpoint_arn).catch((err) =>
      logger.warn('could not delete a push endpoint', { endpoint_arn, error: err as Error }),
    );
  }
}
