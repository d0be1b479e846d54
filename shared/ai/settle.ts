import { sql, type Transaction } from 'kysely';
import { refundJob } from '../credits/spend.ts';
import type { Db } from '../db/client.ts';
import type { Database } from '../db/schema.ts';
import { syncVideoHashtags } from '../hashtags/repository.ts';
import { logger } from '../logging/logger.ts';
import { createNotification } from '../notifications/notify.ts';
import { CATALOGUE } from './catalogue.ts';
import { type AiJob, advanceJob, findJob, finishJob, setJobResult } from './jobs.repository.ts';
import { copyOutputToBucket, OutputGoneError, predictionOutputUrl } from './output.ts';

export interface PredictionUpdate {
  id: string;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';
  output?: unknown;
  error?: unknown;
}

export type SettleOutcome = 'advanced' | 'succeeded' | 'failed' | 'ignored';

export function aiVideoKey(job: Pick<AiJob, 'id' | 'user_id'>): string {
  return `uploads/${job.user_id}/${job.id}.mp4`;
}

export function aiAudioKey(job: Pick<AiJob, 'id' | 'user_id'>): string {
  return `assets/${job.user_id}/${job.id}.audio`;
}

function errorText(error: unknown, fallback: string): string {
  if (typeof error === 'string' && error) return error.slice(0, 1000);
  if (error && typeof error === 'object') return JSON.stringify(error).slice(0, 1000);
  return fallback;
}

/**
 * Applies what Replicate says about a prediction to its job. Used by the webhook and by the
 * reconciler's polling, so both paths behave the same. Every transition is conditional on
 * the job's current state, which makes duplicates and out-of-order deliveries harmless:
 * a late `start` cannot reopen a finished job, a second `succeeded` creates nothing.
 */
export async function applyPrediction(
  db: Db,
  job: AiJob,
  prediction: PredictionUpdate,
): Promise<SettleOutcome> {
  switch (prediction.status) {
    case 'starting':
    case 'processing': {
      const res = await advanceJob(db, job.id, prediction.status, prediction.id);
      return res[0]?.numUpdatedRows ? 'advanced' : 'ignored';
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
    if (finished) await refundJob(trx, finished);
    return Boolean(finished);
  });
}

async function settleSucceeded(db: Db, job: AiJob, prediction: PredictionUpdate): Promise<SettleOutcome> {
  const url = predictionOutputUrl(prediction.output);
  if (!url)
    return (await failJob(db, job.id, 'failed', 'The model returned no output')) ? 'failed' : 'ignored';
  const spec = CATALOGUE[job.kind];
  const won = await db.transaction().execute(async (trx) => {
    const finished = await finishJob(trx, job.id, { status: 'succeeded', output: { url } });
    if (!finished) return false;
    if (spec.output === 'video') {
      const input = finished.input as { caption?: string };
      // The video's id is the job's: a retried settlement can never make a second one.
      await trx
        .insertInto('videos')
        .values({
          id: job.id,
          owner_id: job.user_id,
          source_key: aiVideoKey(job),
          content_type: 'video/mp4',
          origin: job.kind === 'template' ? 'template' : 'glitch',
          ai_job_id: job.id,
          caption: input.caption ?? '',
        })
        .execute();
      await syncVideoHashtags(trx, job.id, input.caption ?? '');
      await setJobResult(trx, job.id, { result_video_id: job.id });
      if (job.source_video_id && (job.kind === 'glitch_animate' || job.kind === 'glitch_replace')) {
        await linkGlitch(trx, job, job.source_video_id);
      }
    } else if (spec.output === 'audio') {
      await trx
        .insertInto('media_assets')
        .values({
          id: job.id,
          owner_id: job.user_id,
          kind: 'audio',
          object_key: aiAudioKey(job),
          content_type: 'audio/mpeg',
        })
        .execute();
      await setJobResult(trx, job.id, { result_asset_id: job.id });
    }
    return true;
  });
  // Copy even when another delivery won the transition: it may have died before copying.
  await ensureOutputCopied(db, job.id);
  return won ? 'succeeded' : 'ignored';
}

/**
 * Records the chain link (source → glitch, with the chain's root and depth), counts the
 * glitch on its source, and tells the source's owner. Same transaction as the job's success.
 */
async function linkGlitch(trx: Transaction<Database>, job: AiJob, sourceId: string): Promise<void> {
  const source = await trx
    .selectFrom('videos as v')
    .leftJoin('video_glitches as g', 'g.glitch_video_id', 'v.id')
    .select(['v.id', 'v.owner_id', 'g.root_video_id', 'g.depth'])
    .where('v.id', '=', sourceId)
    .executeTakeFirst();
  if (!source) return;
  await trx
    .insertInto('video_glitches')
    .values({
      glitch_video_id: job.id,
      source_video_id: source.id,
      root_video_id: source.root_video_id ?? source.id,
      kind: job.kind === 'glitch_replace' ? 'replace' : 'animate',
      depth: (source.depth ?? 0) + 1,
    })
    .execute();
  await trx
    .updateTable('videos')
    .set((eb) => ({ glitch_count: eb('glitch_count', '+', 1) }))
    .where('id', '=', source.id)
    .execute();
  await createNotification(trx, {
    recipientId: source.owner_id,
    actorId: job.user_id,
    type: 'glitch',
    videoId: job.id,
  });
}

/** Copies a succeeded job's output into the bucket if it isn't there yet. Safe to repeat. */
export async function ensureOutputCopied(db: Db, jobId: string): Promise<void> {
  const job = await findJob(db, jobId);
  if (job?.status !== 'succeeded') return;
  const url = predictionOutputUrl((job.output as { url?: string } | null)?.url);
  if (!url) return;
  try {
    if (job.result_video_id) {
      const video = await db
        .selectFrom('videos')
        .select(['status', 'source_key'])
        .where('id', '=', job.result_video_id)
        .executeTakeFirst();
      if (video?.status === 'uploading') await copyOutputToBucket(url, video.source_key, 'video/mp4');
    } else if (job.result_asset_id) {
      const asset = await db
        .selectFrom('media_assets')
        .select(['status', 'object_key'])
        .where('id', '=', job.result_asset_id)
        .executeTakeFirst();
      if (asset?.status === 'uploading') {
        const size = await copyOutputToBucket(url, asset.object_key, 'audio/mpeg');
        await db
          .updateTable('media_assets')
          .set({ status: 'ready', ...(size >= 0 ? { size_bytes: size } : {}) })
          .where('id', '=', job.result_asset_id)
          .execute();
      }
    }
  } catch (err) {
    if (!(err instanceof OutputGoneError)) throw err;
    // Replicate already deleted it: the person never got their result, so they get their credits back.
    logger.error('output expired before it was copied', { job_id: job.id });
    await db.transaction().execute(async (trx) => {
      if (job.result_video_id) {
        await trx
          .updateTable('videos')
          .set({
            status: 'failed',
            failure_reason: 'The AI result expired before it could be saved',
            updated_at: sql`now()`,
          })
          .where('id', '=', job.result_video_id)
          .where('status', '=', 'uploading')
          .execute();
      }
      if (job.result_asset_id) {
        await trx
          .updateTable('media_assets')
          .set({ status: 'failed' })
          .where('id', '=', job.result_asset_id)
          .execute();
      }
      await refundJob(trx, job);
    });
  }
}
