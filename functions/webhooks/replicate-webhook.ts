import type * as z from 'zod/mini';
import { webhookEnv } from '../../shared/ai/config.ts';
import {
  findJob,
  findJobByPrediction,
  isWebhookDeliverySeen,
  recordWebhookDelivery,
} from '../../shared/ai/repository.ts';
import { applyPrediction } from '../../shared/ai/settle.ts';
import { verifyWebhookSignature, WebhookSignatureError } from '../../shared/ai/webhook-signature.ts';
import { getSecretString } from '../../shared/config/secrets.ts';
import { getDb } from '../../shared/db/client.ts';
import { BadRequestError, UnauthorizedError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { logger } from '../../shared/logging/logger.ts';
import type { Routes } from '../routes.ts';
import { PredictionBody } from './schemas.ts';

async function webhookSecret(): Promise<string> {
  const e = webhookEnv();
  return e.REPLICATE_WEBHOOK_SECRET ?? (await getSecretString(e.REPLICATE_WEBHOOK_SECRET_ARN!));
}

/**
 * Verify first, change nothing otherwise. Idempotent twice over: a delivery id already
 * applied is acknowledged at once, and every state change is conditional on the job's state.
 */
export const replicateWebhook: RouteHandler<Routes['replicateWebhook']> = async ({
  event,
  rawBody,
  query,
}) => {
  let webhookId: string;
  try {
    ({ webhookId } = verifyWebhookSignature({
      secret: await webhookSecret(),
      headers: event.headers ?? {},
      rawBody: rawBody ?? '',
      toleranceSeconds: webhookEnv().WEBHOOK_TOLERANCE_SECONDS,
    }));
  } catch (err) {
    if (err instanceof WebhookSignatureError) {
      logger.warn('webhook rejected', { reason: err.reason });
      throw new UnauthorizedError('Invalid webhook signature', 'invalid_signature');
    }
    throw err;
  }

  let prediction: z.infer<typeof PredictionBody>;
  try {
    prediction = PredictionBody.parse(JSON.parse(rawBody ?? ''));
  } catch {
    throw new BadRequestError('Webhook body is not a prediction', undefined, 'invalid_prediction');
  }

  const db = getDb();
  if (await isWebhookDeliverySeen(db, webhookId)) return { status: 'duplicate' as const };

  // By prediction id; or by the job id in our webhook URL when the `start` webhook races
  // the dispatcher's recording of the prediction id.
  let job = await findJobByPrediction(db, prediction.id);
  if (!job && query.job_id) {
    const byJob = await findJob(db, query.job_id);
    if (byJob && (byJob.prediction_id === null || byJob.prediction_id === prediction.id)) job = byJob;
  }
  let status: 'advanced' | 'succeeded' | 'failed' | 'ignored' | 'unknown' = 'unknown';
  if (job) {
    logger.appendKeys({ job_id: job.id, prediction_id: prediction.id });
    status = await applyPrediction(db, job, prediction);
  } else {
    logger.warn('webhook for an unknown prediction', { prediction_id: prediction.id });
  }
  // Recorded last: if applying failed we answer 500 and Replicate's retry applies it again.
  await recordWebhookDelivery(db, { webhookId, predictionId: prediction.id, status: prediction.status });
  return { status };
};
