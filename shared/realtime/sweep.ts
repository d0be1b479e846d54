import type { DbOrTrx } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { listDueLikeBatches, pruneSentLikeBatches } from '../push/repository.ts';
import { closeSockets } from './fanout.ts';
import { enqueueFanout, eventMessages } from './fanout-queue.ts';
import { finishEvent, listExpiredConnections, listStaleEvents, pruneDoneEvents } from './repository.ts';

export interface SweepLimits {
  retryAfterSeconds: number;
  maxAttempts: number;
  retentionHours: number;
}

/** Rows handled per run; the next run (a minute later) takes the rest. */
const BATCH = 500;

/**
 * The safety net under fan-out, on a schedule: events whose wake-up was lost (the queue send
 * failed or timed out after commit) or whose delivery keeps failing are handed to fan-out again,
 * and given up after `maxAttempts` (an error: the alarm fires); like windows that are due are
 * sent; sockets whose token expired are told and closed; old delivered rows are deleted.
 */
export async function sweepOutbox(db: DbOrTrx, limits: SweepLimits) {
  const counts = { requeued: 0, gaveUp: 0, likeBatches: 0, closed: 0, pruned: 0, errors: 0 };

  const stale = await listStaleEvents(db, limits.retryAfterSeconds, BATCH);
  const retry: string[] = [];
  for (const e of stale) {
    if (e.attempts < limits.maxAttempts) {
      retry.push(e.id);
      continue;
    }
    await finishEvent(db, e.id, `gave up after ${e.attempts} attempts`);
    logger.error('event given up', { event_id: e.id, attempts: e.attempts });
    counts.gaveUp++;
  }
  /** One step of the run; a failing step is counted (the run then fails) and the others still run. */
  const step = async (what: string, work: () => Promise<number>): Promise<number> => {
    try {
      return await work();
    } catch (err) {
      counts.errors++;
      logger.error(`sweep could not ${what}`, { error: err as Error });
      return 0;
    }
  };
  counts.requeued = await step('hand events to fan-out', async () => {
    await enqueueFanout(eventMessages(retry));
    return retry.length;
  });
  const due = await listDueLikeBatches(db, BATCH);
  counts.likeBatches = await step('hand like pushes to fan-out', async () => {
    await enqueueFanout(due.map((b) => ({ kind: 'like_batch' as const, batch_id: b.id })));
    return due.length;
  });
  const expired = await listExpiredConnections(db, BATCH);
  counts.closed = await step('close expired sockets', async () => {
    await closeSockets(
      db,
      expired.map((c) => c.connection_id),
      'expired',
    );
    return expired.length;
  });

  const events = await pruneDoneEvents(db, limits.retentionHours);
  const batches = await pruneSentLikeBatches(db, limits.retentionHours);
  counts.pruned = Number(events.numDeletedRows) + Number(batches.numDeletedRows);
  return counts;
}
