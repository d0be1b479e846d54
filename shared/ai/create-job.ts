import { randomUUID } from 'node:crypto';
import { spendCredits } from '../credits/service.ts';
import type { Db } from '../db/client.ts';
import type { JobKind } from '../db/schema.ts';
import { enforceAiJobLimit } from '../limits/quotas.ts';
import { logger } from '../logging/logger.ts';
import { CATALOGUE } from './catalogue.ts';
import { enqueueJob } from './job-queue.ts';
import { insertJob } from './repository.ts';

/**
 * Writes the job (`queued`) and spends its credits in one transaction, then enqueues it (after
 * the per-person rate limit, which counts attempts: a refused one costs nothing).
 * If the enqueue fails the job is still safe: the reconciler re-enqueues stuck queued jobs.
 */
export async function createJob(
  db: Db,
  req: {
    userId: string;
    kind: Exclude<JobKind, 'capture_frame'>;
    input: Record<string, unknown>;
    sourceVideoId?: string;
    selectionId?: string;
  },
) {
  await enforceAiJobLimit(db, req.userId);
  const spec = CATALOGUE[req.kind];
  const id = randomUUID();
  const job = await db.transaction().execute(async (trx) => {
    const row = await insertJob(trx, {
      id,
      user_id: req.userId,
      kind: req.kind,
      cost: spec.cost,
      model: spec.model!,
      input: req.input,
      source_video_id: req.sourceVideoId ?? null,
      selection_id: req.selectionId ?? null,
    });
    await spendCredits(trx, { userId: req.userId, amount: spec.cost, jobId: id });
    return row;
  });
  try {
    await enqueueJob(id);
  } catch (err) {
    logger.error('could not enqueue job; the reconciler will retry', { job_id: id, error: err as Error });
  }
  return job;
}
