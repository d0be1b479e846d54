import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { dispatchJob } from '../../shared/ai/dispatch.ts';
import { type JobMessage, parseJobMessage } from '../../shared/ai/job-queue.ts';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { withEventKicks } from '../../shared/realtime/outbox.ts';

async function dispatchRecord(record: SQSRecord): Promise<void> {
  let message: JobMessage;
  try {
    message = parseJobMessage(record.body);
  } catch {
    // A poison message: failing it makes SQS redeliver until the redrive policy moves it to the DLQ.
    logger.error('unreadable job message', { message_id: record.messageId });
    throw new Error('unreadable job message');
  }
  logger.appendKeys({ job_id: message.job_id });
  const outcome = await dispatchJob(getDb(), message.job_id);
  logger.info('job dispatched', { outcome, receive_count: record.attributes.ApproximateReceiveCount });
}

/**
 * SQS → Replicate. Partial batch responses: one failing job (Replicate 429/5xx) is retried
 * alone while the rest of the batch is acknowledged. A processor per invocation: its state
 * (records, failures) must not be shared by invocations running at once (the local queue).
 */
export const handler = (event: SQSEvent, context: Context) => {
  startInvocationLog(context);
  return withEventKicks(() =>
    processPartialResponse(event, dispatchRecord, new BatchProcessor(EventType.SQS), { context }),
  );
};
