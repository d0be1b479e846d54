import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { buildExport, failExport } from '../../shared/accounts/export-build.ts';
import { EXPORT_MAX_RECEIVES, parseExportMessage } from '../../shared/accounts/queues.ts';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';

async function record(r: SQSRecord): Promise<void> {
  const { export_id } = parseExportMessage(r.body);
  logger.appendKeys({ export_id });
  try {
    await buildExport(getDb(), export_id);
  } catch (err) {
    // The last try: record the failure so the status says so and the person may ask again.
    if (Number(r.attributes.ApproximateReceiveCount) >= EXPORT_MAX_RECEIVES) {
      await failExport(getDb(), export_id, 'The export could not be built; please ask again');
    }
    throw err;
  }
}

/** SQS → build a data export (zip in S3, notification, mail). Partial batch responses. */
export const handler = (event: SQSEvent, context: Context) => {
  startInvocationLog(context);
  return processPartialResponse(event, record, new BatchProcessor(EventType.SQS), { context });
};
