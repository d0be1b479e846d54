import { findAssetState, insertAsset, markAssetFailed, markAssetReady } from '../assets/repository.ts';
import { refundJob } from '../credits/service.ts';
import type { Db, DbOrTrx } from '../db/client.ts';
import { linkGlitch } from '../glitch/repository.ts';
import { syncVideoHashtags } from '../hashtags/repository.ts';
import { logger } from '../logging/logger.ts';
import { createNotification } from '../notifications/repository.ts';
import { aiAudioKey, aiVideoKey } from '../storage/keys.ts';
import { lockAccountStandings } from '../users/standing.ts';
import { findVideoState, insertVideo, markVideoFailed } from '../videos/repository.ts';
import { CATALOGUE } from './catalogue.ts';
import { announceJob } from './job-events.ts';
import { copyOutputToBucket, OutputGoneError, predictionOutputUrl } from './output.ts';
import { enqueueOutputCopy } from './output-queue.ts';
import { type AiJob, advanceJob, findJob, finishJob, setJobResult } from './repository.ts';

/**
 * The AI job state machine: what Replicate says about a prediction, applied to its job. Used by
 * the webhook and by the reconciler's polling, so both paths behave the same. Every transition
 * is conditional on the job's current state, which makes duplicates and out-of-order deliveries
 * harmless: a late `start` cannot reopen a finished job, a second `succeeded` creates nothing.
 *
 *   queued → starting → processing → succeeded | failed | canceled | aborted
 *
 * Results are written by their own domains (videos, glitch chains, assets) in the transaction
 * that makes the job `succeeded`; the output-copier then stores the output (output-queue.ts), and
 * a video flows on through uploads/ (storage/keys.ts) to the process-upload worker, which makes it
 * `ready`.
 */
export interface PredictionUpdate {
  id: string;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';
  output?: unknown;
  error?: unknown;
}

export type SettleOutcome = 'advanced' | 'succeeded' | 'failed' | 'ignored';

function errorText(error: unknown, fallback: string): string {
  if (typeof error === 'string' && error) return error.slice(0, 1000);
  if (error && typeof error === 'object') return JSON.stringify(error).slice(0, 1000);
  return fallback;
}

export async function applyPrediction(
  db: Db,
  job: AiJob,
  prediction: PredictionUpdate,
): Promise<SettleOutcome> {
  switch (prediction.status) {
    case 'starting':
    case 'processing': {
      const status = prediction.status;
      const advanced = await db.transaction().execute(async (trx) => {
        const res = await advanceJob(trx, job.id, status, prediction.id);
        if (!res[0]?.numUpdatedRows) return false;
        await announceJob(trx, job, status);
        return true;
      });
      return advanced ? 'advanced' : 'ignored';
    }
    case 'succeeded':
      return settleSucceeded(db, job, prediction);
    default:
      return (await failJob(
        db,
        job.id,
        prediction.status,
        errorText(prediction.error, `Prediction ${prediction.status}`),
      ))
        ? 'failed'
        : 'ignored';
  }
}

/** Ends a job unsuccessfully and refunds it, exactly once (only the transition's winner refunds). */
export async function failJob(
  db: Db,
  jobId: string,
  status: 'failed' | 'canceled' | 'aborted',
  error: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const finished = await finishJob(trx, jobId, { status, error });
    if (!finished) return false;
    await refundJob(trx, finished);
    await announceJob(trx, finished, status);
    return true;
  });
}

async function settleSucceeded(db: Db, job: AiJob, prediction: PredictionUpdate): Promise<SettleOutcome> {
  const url = predictionOutputUrl(prediction.output);
  if (!url)
    return (await failJob(db, job.id, 'failed', 'The model returned no output')) ? 'failed' : 'ignored';
  const won = await db.transaction().execute(async (trx) => {
    const finished = await finishJob(trx, job.id, { status: 'succeeded', output: { url } });
    if (!finished) return false;
    await recordResult(trx, finished);
    // The result is usable once it is in our bucket (and a video is ready): another event then.
    await announceJob(trx, finished, 'succeeded', 'pending');
    return true;
  });
  // The copy happens off this request (the output-copier worker), even when another delivery won
  // the transition: it may have died before enqueueing. If this send fails, the webhook answers
  // 500 and Replicate's retry sends it again; the reconciler re-copies whatever is still missing.
  await enqueueOutputCopy(job.id);
  return won ? 'succeeded' : 'ignored';
}

/** The result rows of a job that just succeeded, in that transition's transaction. */
async function recordResult(trx: DbOrTrx, job: AiJob): Promise<void> {
  const output = CATALOGUE[job.kind].output;
  if (output === 'video') {
    const caption = (job.input as { caption?: string }).caption ?? '';
    // The video's id is the job's: a retried settlement can never make a second one.
    await insertVideo(trx, {
      id: job.id,
      owner_id: job.user_id,
      source_key: aiVideoKey(job),
      content_type: 'video/mp4',
      origin: job.kind === 'template' ? 'template' : 'glitch',
      ai_job_id: job.id,
      ai_model: job.model,
      caption,
    });
    await syncVideoHashtags(trx, job.id, caption);
    await setJobResult(trx, job.id, { result_video_id: job.id });
    if (job.source_video_id && (job.kind === 'glitch_animate' || job.kind === 'glitch_replace')) {
      // A maker suspended while the model ran: the glitch is linked but on no count.
      const maker = await lockAccountStandings(trx, [job.user_id]);
      const linked = await linkGlitch(trx, {
        glitchVideoId: job.id,
        sourceVideoId: job.source_video_id,
        kind: job.kind === 'glitch_replace' ? 'replace' : 'animate',
        counted: maker.allCounted,
      });
      if (linked) {
        await createNotification(trx, {
          recipientId: linked.sourceOwnerId,
          actorId: job.user_id,
          type: 'glitch',
          videoId: job.id,
        });
      }
    }
  } else if (output === 'audio') {
    await insertAsset(trx, {
      id: job.id,
      owner_id: job.user_id,
      kind: 'audio',
      object_key: aiAudioKey(job),
      content_type: 'audio/mpeg',
    });
    await setJobResult(trx, job.id, { result_asset_id: job.id });
  }
}

/** Copies a succeeded job's output into the bucket if it isn't there yet. Safe to repeat. */
export async function ensureOutputCopied(db: Db, jobId: string): Promise<void> {
  const job = await findJob(db, jobId);
  if (job?.status !== 'succeeded') return;
  const url = predictionOutputUrl((job.output as { url?: string } | null)?.url);
  if (!url) return;
  try {
    if (job.result_video_id) {
      const video = await findVideoState(db, job.result_video_id);
      // Writing under uploads/ hands the video to process-upload (S3 event).
      if (video?.status === 'uploading') await copyOutputToBucket(url, video.source_key, 'video/mp4');
    } else if (job.result_asset_id) {
      const asset = await findAssetState(db, job.result_asset_id);
      if (asset?.status === 'uploading') {
        const size = await copyOutputToBucket(url, asset.object_key, 'audio/mpeg');
        const assetId = job.result_asset_id;
        await db.transaction().execute(async (trx) => {
          if (await markAssetReady(trx, assetId, size >= 0 ? size : undefined)) {
            await announceJob(trx, job, 'succeeded', 'ready');
          }
        });
      }
    }
  } catch (err) {
    if (!(err instanceof OutputGoneError)) throw err;
    // Replicate already deleted it: the person never got their result, so they get their credits back.
    logger.error('output expired before it was copied', { job_id: job.id });
    await db.transaction().execute(async (trx) => {
      if (job.result_video_id) {
        await markVideoFailed(trx, job.result_video_id, 'The AI result expired before it could be saved', [
          'uploading',
        ]);
      }
      if (job.result_asset_id) await markAssetFailed(trx, job.result_asset_id);
      await refundJob(trx, job);
      await announceJob(trx, job, 'succeeded', 'failed');
    });
  }
}
