import type { Context, ScheduledEvent } from 'aws-lambda';
import { getDb } from '../../shared/db/client.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { sweepEnv } from '../../shared/realtime/config.ts';
import { sweepOutbox } from '../../shared/realtime/sweep.ts';

/** EventBridge schedule (every minute) → retry lost or failed deliveries, send due like pushes, close expired sockets. */
export const handler = async (_event: ScheduledEvent, context?: Context) => {
  startInvocationLog(context);
  const e = sweepEnv();
  const counts = await sweepOutbox(getDb(), {
    retryAfterSeconds: e.OUTBOX_RETRY_AFTER_SECONDS,
    maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
    retentionHours: e.OUTBOX_RETENTION_HOURS,
  });
  logger.info('outbox swept', counts);
  // A failed run or an event given up is a failed invocation, which the sweeper's alarm sees.
  if (counts.errors > 0 || counts.gaveUp > 0) {
    throw new Error(`outbox sweep: ${counts.errors} error(s), ${counts.gaveUp} event(s) given up`);
  }
  return counts;
};
