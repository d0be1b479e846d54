import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { type OutputCopyMessage, parseOutputCopyMessage } from '../../shared/ai/output-queue.ts';
import { ensureOutputCopied } from '../../shared/ai/settle.ts';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { withEventKicks } from '../../shared/realtime/outbox.ts';

async function copyRecord(record: SQSRecord): Promise<void> {
  let message: OutputCopyMessage;
  try {
    message = parseOutputCopyMessage(record.body);
  } catch {
    logger.error('unreadable output-copy message', { message_id: record.messageId });
    throw new Error('unreadable output-copy message');
  }
  logger.appendKeys({ job_id: message.job_id });
  // Idempotent: copies only what a succeeded job still lacks (an S3 HEAD first).
  await ensureOutputCopied(getDb(), message.job_id);
}

/**
 * SQS → our bucket: downloads a succeeded job's output from Replicate and stores it (under
 * uploads/ for videos, whose S3 event then makes them ready). A failed copy is retried by the
 * queue and then the reconciler; partial batch responses retry only the failed jobs.
 */
export const handler = (event: SQSEvent, context: Context) => {
  startInvocationLog(context);
  // A music result becoming ready (or an expired output refunded) is announced: wake fan-out.
  return withEventKicks(() =>
    processPartialResponse(event, copyRecord, new BatchProcessor(EventType.SQS), { context }),
  );
};
