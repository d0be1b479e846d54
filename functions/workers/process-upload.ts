import type { Context, S3Event } from 'aws-lambda';
import { getDb } from '../../shared/db/client.ts';
import { logger } from '../../shared/logging/logger.ts';
import { UPLOADS_PREFIX } from '../../shared/storage/keys.ts';
import { decodeS3EventKey } from '../../shared/storage/s3.ts';
import { processUpload } from '../../shared/videos/process-upload.ts';

/** Left for the S3 uploads and the final transaction after ffmpeg is stopped by the deadline. */
const FINISH_MARGIN_MS = 60_000;

/**
 * S3 ObjectCreated under uploads/ (people's uploads and AI outputs) → check, probe, transcode,
 * poster and preview, mark ready or failed, empty the inbox. Invoked asynchronously by S3: a thrown
 * error makes Lambda retry (then the on-failure destination), and every step is safe to repeat.
 */
export const handler = async (event: S3Event, context?: Context): Promise<void> => {
  const remaining = context?.getRemainingTimeInMillis?.();
  const signal = remaining ? AbortSignal.timeout(Math.max(1_000, remaining - FINISH_MARGIN_MS)) : undefined;
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated:')) continue;
    const key = decodeS3EventKey(record.s3.object.key);
    if (!key.startsWith(UPLOADS_PREFIX)) continue;
    logger.appendKeys({ s3_key: key });
    const outcome = await processUpload(getDb(), key, { signal });
    logger.info('upload processed', { outcome });
  }
};
