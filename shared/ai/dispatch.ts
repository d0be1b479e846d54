import type { Db } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { mediaUrl } from '../storage/media-url.ts';
import { CATALOGUE } from './catalogue.ts';
import { replicateEnv } from './config.ts';
import { announceJob } from './job-events.ts';
import {
  findPredictionForJob,
  isTransientReplicateError,
  replicateClient,
  replicateErrorStatus,
  webhookUrlFor,
} from './replicate.ts';
import {
  type AiJob,
  claimForDispatch,
  findJob,
  recordPrediction,
  releaseDispatchLease,
} from './repository.ts';
import { failJob } from './settle.ts';

export type DispatchOutcome = 'created' | 'adopted' | 'skipped' | 'failed';

/** Thrown for Replicate answers worth another try (429, 5xx, network); the queue redelivers. */
export class TransientDispatchError extends Error {}

/**
 * Creates the Replicate prediction for a queued job, at most once: the job is leased first
 * (a duplicate delivery finds no claimable job and does nothing), and a retry after a crash
 * adopts a prediction an earlier attempt already created instead of making a second one.
 */
export async function dispatchJob(db: Db, jobId: string): Promise<DispatchOutcome> {
  const job = await claimForDispatch(db, jobId);
  if (!job) return 'skipped';
  const spec = CATALOGUE[job.kind];
  if (!spec.model) {
    await failJob(db, job.id, 'failed', 'This job kind does not use a model');
    return 'failed';
  }
  try {
    if (job.attempts > 1) {
      const existing = await findPredictionForJob(job.id);
      if (existing) {
        await markStarted(db, job, existing);
        return 'adopted';
      }
    }
    const input = job.input as Record<string, unknown>;
    // Presigned inputs must stay valid while the prediction waits in Replicate's queue.
    const ttl = replicateEnv().AI_INPUT_URL_TTL_SECONDS;
    const urls = {
      videoUrl: typeof input.clip_key === 'string' ? await mediaUrl(input.clip_key, ttl) : undefined,
      imageUrl: typeof input.image_key === 'string' ? await mediaUrl(input.image_key, ttl) : undefined,
    };
    const replicate = await replicateClient();
    const prediction = await replicate.predictions.create({
      model: spec.model,
      input: spec.buildInput({ input }, urls),
      webhook: webhookUrlFor(job.id),
      webhook_events_filter: ['start', 'completed'],
    });
    if (!(await markStarted(db, job, prediction.id))) {
      // The job was canceled while we were creating its prediction: don't let it run for nothing.
      await replicate.predictions.cancel(prediction.id).catch(() => undefined);
      return 'skipped';
    }
    logger.info('prediction created', { job_id: job.id, prediction_id: prediction.id });
    return 'created';
  } catch (err) {
    if (isTransientReplicateError(err)) {
      await releaseDispatchLease(db, job.id);
      throw new TransientDispatchError(
        `Replicate is unavailable (${replicateErrorStatus(err) ?? 'network'}); will retry: ${(err as Error).message}`,
      );
    }
    // Invalid input, unknown model, auth: retrying cannot help. Fail and refund.
    logger.error('prediction rejected', {
      job_id: job.id,
      status: replicateErrorStatus(err),
      error: err as Error,
    });
    await failJob(db, job.id, 'failed', `The AI service rejected the request (${replicateErrorStatus(err)})`);
    return 'failed';
  }
}

/**
 * Records the prediction (queued → starting) and tells the owner, together. False if the job moved
 * on without it (canceled meanwhile). The prediction's own `start` webhook can arrive before this
 * runs and record it first (advanceJob, which also tells the owner): that job is ours, not moved on.
 */
async function markStarted(db: Db, job: AiJob, predictionId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const recorded = await recordPrediction(trx, job.id, predictionId);
    if (!recorded[0]?.numUpdatedRows) return (await findJob(trx, job.id))?.prediction_id === predictionId;
    await announceJob(trx, job, 'starting');
    return true;
  });
}
