import type { Context, S3Event } from 'aws-lambda';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { UPLOADS_PREFIX } from '../../shared/storage/keys.ts';
import { decodeS3EventKey } from '../../shared/storage/s3.ts';
import { processUpload } from '../../shared/videos/process-upload.ts';

/**
 * S3 ObjectCreated under uploads/ (people's uploads and AI outputs) → check, probe, poster
 * frame, mark ready or failed. Invoked asynchronously by S3: a thrown error makes Lambda retry
 * (then the on-failure destination), and every step is safe to repeat.
 */
export const handler = async (event: S3Event, context?: Context): Promise<void> => {
  startInvocationLog(context);
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated:')) continue;
    const key = decodeS3EventKey(record.s3.object.key);
    if (!key.startsWith(UPLOADS_PREFIX)) continue;
    logger.appendKeys({ s3_key: key });
    const outcome = await processUpload(getDb(), key);
    logger.info('upload processed', { outcome });
  }
};
