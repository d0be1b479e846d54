import type { Context, S3Event } from 'aws-lambda';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { withEventKicks } from '../../shared/realtime/outbox.ts';
import { AVATAR_INBOX_PREFIX, UPLOADS_PREFIX } from '../../shared/storage/keys.ts';
import { decodeS3EventKey } from '../../shared/storage/s3.ts';
import { processAvatarUpload } from '../../shared/users/avatar-upload.ts';
import { processUpload } from '../../shared/videos/process-upload.ts';

/** Left for the S3 uploads and the final transaction after ffmpeg is stopped by the deadline. */
const FINISH_MARGIN_MS = 60_000;

/**
 * S3 ObjectCreated under uploads/ (people's uploads and AI outputs) → check, probe, transcode,
 * poster and preview, mark ready or failed, empty the inbox; under avatars/inbox/ → square avatar
 * images. Invoked asynchronously by S3: a thrown error makes Lambda retry (then the on-failure
 * destination), and every step is safe to repeat.
 */
export const handler = (event: S3Event, context?: Context): Promise<void> => {
  startInvocationLog(context);
  const remaining = context?.getRemainingTimeInMillis?.();
  const signal = remaining ? AbortSignal.timeout(Math.max(1_000, remaining - FINISH_MARGIN_MS)) : undefined;
  return withEventKicks(() => processRecords(event, signal));
};

async function processRecords(event: S3Event, signal: AbortSignal | undefined): Promise<void> {
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated:')) continue;
    const key = decodeS3EventKey(record.s3.object.key);
    logger.appendKeys({ s3_key: key });
    // Avatars arrive in their own inbox and are handled by the users domain's rule.
    if (key.startsWith(AVATAR_INBOX_PREFIX)) {
      logger.info('avatar processed', { outcome: await processAvatarUpload(getDb(), key) });
      continue;
    }
    if (!key.startsWith(UPLOADS_PREFIX)) continue;
    const outcome = await processUpload(getDb(), key, { signal });
    logger.info('upload processed', { outcome });
  }
}
