import type { ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { handler as reconciler } from '../../functions/workers/reconciler.ts';
import { listUncopiedOutputs } from '../../shared/ai/repository.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import type { Db } from '../../shared/db/client.ts';
import type { ReplicateStandIn } from '../../shared/local/replicate-standin/index.ts';
import { sampleEvent } from '../harness/events.ts';
import { TERMINAL_JOB_STATUSES } from './invariants.ts';

/** Runs the reconciler Lambda once with these RECONCILE_* settings; returns its counts (or the error). */
export async function reconcileOnce(settings: {
  queuedAfterSeconds?: number;
  runningAfterSeconds?: number;
  copyAfterSeconds?: number;
  maxDispatchAttempts?: number;
}): Promise<Record<string, number> | { error: string }> {
  const vars: Record<string, number | undefined> = {
    RECONCILE_QUEUED_AFTER_SECONDS: settings.queuedAfterSeconds,
    RECONCILE_RUNNING_AFTER_SECONDS: settings.runningAfterSeconds,
    RECONCILE_COPY_AFTER_SECONDS: settings.copyAfterSeconds,
    RECONCILE_MAX_DISPATCH_ATTEMPTS: settings.maxDispatchAttempts,
  };
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) process.env[k] = String(v);
  resetEnvCache();
  try {
    return await reconciler({ 'detail-type': 'Scheduled Event', source: 'aws.events' } as ScheduledEvent);
  } catch (err) {
    // It throws when some job could not be handled (e.g. another file's prediction unknown to this stand-in).
    return { error: (err as Error).message };
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }
}

export async function jobRows(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('ai_jobs')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export const isTerminal = (status: string) => (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);

/**
 * Jobs of `ids` that are still open: not terminal, or succeeded with an output not yet in the
 * bucket (the output-copier's queue may have dead-lettered it during an outage).
 */
async function openJobs(db: Db, ids: readonly string[]) {
  const uncopied = new Set((await listUncopiedOutputs(db, 0)).map((j) => j.id));
  return (await jobRows(db, ids)).filter((j) => !isTerminal(j.status) || uncopied.has(j.id));
}

/**
 * Settles `ids`: lets the pipeline go quiet, then, while some are still open, waits until they are
 * `staleAfterSeconds` old and lets the reconciler re-enqueue, poll or re-copy them. Returns the
 * ones still open.
 */
export async function driveToTerminal(
  db: Db,
  ids: readonly string[],
  settle: () => Promise<void>,
  opts: { staleAfterSeconds: number; rounds?: number; beforeReconcile?: () => void },
): Promise<string[]> {
  await settle();
  for (let round = 0; round < (opts.rounds ?? 5); round++) {
    const open = await openJobs(db, ids);
    if (!open.length) return [];
    opts.beforeReconcile?.();
    const newest = Math.max(...open.map((j) => j.updated_at.getTime()));
    const wait = newest + opts.staleAfterSeconds * 1000 + 150 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await reconcileOnce({
      queuedAfterSeconds: opts.staleAfterSeconds,
      runningAfterSeconds: opts.staleAfterSeconds,
      copyAfterSeconds: opts.staleAfterSeconds,
    });
    await settle();
  }
  return (await openJobs(db, ids)).map((j) => j.id);
}

/** The job a stand-in prediction belongs to (its webhook URL carries `?job_id=`). */
export function jobOfPrediction(p: { webhook?: string }): string | undefined {
  if (!p.webhook) return undefined;
  return new URL(p.webhook).searchParams.get('job_id') ?? undefined;
}

/** Stand-in predictions grouped by job id (only jobs in `ids`). */
export function predictionsByJob(standIn: ReplicateStandIn, ids: readonly string[]): Map<string, string[]> {
  const wanted = new Set(ids);
  const out = new Map<string, string[]>();
  for (const p of standIn.predictions.values()) {
    const job = jobOfPrediction(p);
    if (!job || !wanted.has(job)) continue;
    out.set(job, [...(out.get(job) ?? []), p.id]);
  }
  return out;
}

/** SQS records for these bodies, shaped like the AWS sample event. */
export function sqsRecords(bodies: readonly string[], tag = 'r'): SQSRecord[] {
  const sample = sampleEvent<SQSEvent>('sqs-batch.json').Records[0]!;
  return bodies.map((body, i) => ({
    ...sample,
    messageId: `${tag}-${i}-${Math.random().toString(36).slice(2, 10)}`,
    receiptHandle: `${tag}-${i}`,
    body,
    attributes: { ...sample.attributes, ApproximateReceiveCount: '1' },
  }));
}
