import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { sendLikeBatch } from '../../shared/push/deliver.ts';
import { deliverEvents } from '../../shared/realtime/fanout.ts';
import { type FanoutMessage, parseFanoutMessage } from '../../shared/realtime/fanout-queue.ts';

async function fanOut(record: SQSRecord): Promise<void> {
  let message: FanoutMessage;
  try {
    message = parseFanoutMessage(record.body);
  } catch {
    // A poison message: failing it makes SQS redeliver until the redrive policy moves it to the DLQ.
    logger.error('unreadable fan-out message', { message_id: record.messageId });
    throw new Error('unreadable fan-out message');
  }
  if (message.kind === 'like_batch') return sendLikeBatch(getDb(), message.batch_id);
  const { delivered, failed } = await deliverEvents(getDb(), message.event_ids);
  logger.info('events fanned out', {
    delivered,
    failed,
    receive_count: record.attributes.ApproximateReceiveCount,
  });
  // The message comes back (visibility timeout) and retries the failed ones; done ones are skipped.
  if (failed) throw new Error(`${failed} event(s) could not be delivered`);
}

/**
 * SQS → live sockets (PostToConnection) and devices (SNS). Partial batch responses: a message
 * whose delivery failed is retried alone. Every step is idempotent (leased outbox rows, like
 * windows sent once), and the outbox sweeper covers messages that never arrive.
 */
export const handler = (event: SQSEvent, context: Context) => {
  startInvocationLog(context);
  return processPartialResponse(event, fanOut, new BatchProcessor(EventType.SQS), { context });
};
