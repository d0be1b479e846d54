import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { purgeAccount } from '../../shared/accounts/purge.ts';
import { parseDeletionMessage } from '../../shared/accounts/queues.ts';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';

async function record(r: SQSRecord): Promise<void> {
  const { user_id } = parseDeletionMessage(r.body);
  logger.appendKeys({ user_id });
  await purgeAccount(getDb(), user_id);
}

/**
 * SQS → purge a deleted account. A failed message comes back (partial batch response) and the
 * purge resumes where it stopped; after the queue's max receives it lands in the DLQ (alarm).
 */
export const handler = (event: SQSEvent, context: Context) => {
  startInvocationLog(context);
  return processPartialResponse(event, record, new BatchProcessor(EventType.SQS), { context });
};
