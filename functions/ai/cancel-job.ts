import { replicateClient } from '../../shared/ai/replicate.ts';
import { findOwnJob, findOwnJobView } from '../../shared/ai/repository.ts';
import { failJob } from '../../shared/ai/settle.ts';
import { toJobView } from '../../shared/ai/view.ts';
import { getDb } from '../../shared/db/client.ts';
import { ConflictError, NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { logger } from '../../shared/logging/logger.ts';
import type { Routes } from '../routes.ts';

/**
 * Cancels now and refunds now; telling Replicate is best effort (its own `canceled` or a
 * late `succeeded` webhook then finds a finished job and changes nothing).
 */
export const cancelJob: RouteHandler<Routes['cancelJob']> = async ({ params, user }) => {
  const db = getDb();
  const job = await findOwnJob(db, params.id, user.id);
  if (!job) throw new NotFoundError('Job');
  const canceled = await failJob(db, job.id, 'canceled', 'Canceled by you');
  if (!canceled)
    throw new ConflictError(
      `The job has already ${job.status === 'queued' ? 'started' : 'finished'}`,
      { status: job.status },
      'job_finished',
    );
  if (job.prediction_id) {
    try {
      await (await replicateClient()).predictions.cancel(job.prediction_id);
    } catch (err) {
      logger.warn('could not cancel the prediction at Replicate', { job_id: job.id, error: err as Error });
    }
  }
  return toJobView((await findOwnJobView(db, job.id, user.id))!);
};
