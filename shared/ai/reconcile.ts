import type { Db } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { enqueueJob } from './job-queue.ts';
import { replicateClient } from './replicate.ts';
import { listQuietJobs, listUncopiedOutputs, touchJob } from './repository.ts';
import { applyPrediction, ensureOutputCopied, failJob } from './settle.ts';

export interface ReconcileLimits {
  /** A queued job untouched this long is re-enqueued (its message was lost or is in the DLQ). */
  queuedAfterSeconds: number;
  /** Dispatch attempts after which a queued job is failed and refunded. */
  maxDispatchAttempts: number;
  /** A running job not heard from this long is polled from Replicate. */
  runningAfterSeconds: number;
  /** A job still running this long after creation is canceled and refunded. */
  giveUpAfterSeconds: number;
  /** A succeeded job whose output is still not in the bucket this long after it succeeded is copied again. */
  copyAfterSeconds: number;
}

export const DEFAULT_LIMITS: ReconcileLimits = {
  queuedAfterSeconds: 120,
  maxDispatchAttempts: 5,
  runningAfterSeconds: 600,
  giveUpAfterSeconds: 2 * 3600,
  copyAfterSeconds: 60,
};

/**
 * Nothing stays non-terminal forever: lost queue messages are re-sent, silent predictions are
 * polled and settled exactly like a webhook would, hopeless ones are given up and refunded,
 * and succeeded outputs that never reached our bucket are copied again.
 */
export async function reconcileJobs(db: Db, limits: ReconcileLimits = DEFAULT_LIMITS) {
  const counts = { requeued: 0, gaveUp: 0, polled: 0, settled: 0, recopied: 0, errors: 0 };

  const queued = await listQuietJobs(db, ['queued'], limits.queuedAfterSeconds);
  for (const job of queued) {
    try {
      if (job.attempts >= limits.maxDispatchAttempts) {
        if (
          await failJob(
            db,
            job.id,
            'failed',
            'The AI service could not be reached; your credits were refunded',
          )
        ) {
          counts.gaveUp++;
        }
        continue;
      }
      await touchJob(db, job.id);
      await enqueueJob(job.id);
      counts.requeued++;
    } catch (err) {
      counts.errors++;
      logger.error('could not re-enqueue job', { job_id: job.id, error: err as Error });
    }
  }

  const running = await listQuietJobs(db, ['starting', 'processing'], limits.runningAfterSeconds);
  for (const job of running) {
    try {
      counts.polled++;
      const replicate = await replicateClient();
      const prediction = await replicate.predictions.get(job.prediction_id!);
      const outcome = await applyPrediction(db, job, prediction);
      if (outcome === 'succeeded' || outcome === 'failed') {
        counts.settled++;
        continue;
      }
      await touchJob(db, job.id);
      if (Date.now() - job.created_at.getTime() > limits.giveUpAfterSeconds * 1000) {
        await replicate.predictions.cancel(job.prediction_id!).catch(() => undefined);
        if (await failJob(db, job.id, 'failed', 'The AI took too long; your credits were refunded'))
          counts.gaveUp++;
      }
    } catch (err) {
      counts.errors++;
      logger.error('could not poll prediction', { job_id: job.id, error: err as Error });
    }
  }

  // The output-copier's queue is the first path; this catches messages that were lost or dead-lettered.
  for (const job of await listUncopiedOutputs(db, limits.copyAfterSeconds)) {
    try {
      await ensureOutputCopied(db, job.id);
      counts.recopied++;
    } catch (err) {
      counts.errors++;
      logger.error('could not copy output', { job_id: job.id, error: err as Error });
    }
  }
  return counts;
}
