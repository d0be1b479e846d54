import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { applySoundtrack } from '../../shared/studio/apply-soundtrack.ts';
import { parseSoundtrackMessage, type SoundtrackMessage } from '../../shared/studio/soundtrack-queue.ts';

/** Left for the S3 uploads and the swap after ffmpeg is stopped by the deadline. */
const FINISH_MARGIN_MS = 60_000;

/**
 * SQS (soundtrack requests) → a new revision of the video with its music: the upload pipeline's
 * rendition, poster and preview, swapped in atomically. Batches of one (a transcode each), partial batch
 * responses; every step is safe to repeat (shared/studio/apply-soundtrack.ts).
 */
export const handler = (event: SQSEvent, context?: Context) => {
  startInvocationLog(context);
  const remaining = context?.getRemainingTimeInMillis?.();
  const signal = remaining ? AbortSignal.timeout(Math.max(1_000, remaining - FINISH_MARGIN_MS)) : undefined;
  const applyRecord = async (record: SQSRecord): Promise<void> => {
    let message: SoundtrackMessage;
    try {
      message = parseSoundtrackMessage(record.body);
    } catch {
      // A poison message: failing it makes SQS redeliver until the redrive policy moves it to the DLQ.
      logger.error('unreadable soundtrack message', { message_id: record.messageId });
      throw new Error('unreadable soundtrack message');
    }
    logger.appendKeys({ soundtrack_id: message.soundtrack_id });
    const outcome = await applySoundtrack(getDb(), message.soundtrack_id, { signal });
    logger.info('soundtrack applied', { outcome, receive_count: record.attributes.ApproximateReceiveCount });
  };
  return processPartialResponse(event, applyRecord, new BatchProcessor(EventType.SQS), { context });
};
