import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { DEFAULT_LIMITS, reconcileJobs } from '../../shared/ai/reconcile.ts';
import { defineEnv } from '../../shared/config/env.ts';
import { getDb } from '../../shared/db/client.ts';
import { logger } from '../../shared/logging/logger.ts';
import {
  resumeSoundtracks,
  SOUNDTRACK_STALLED_AFTER_SECONDS,
} from '../../shared/studio/resume-soundtracks.ts';

const reconcilerEnv = defineEnv(
  'reconciler',
  z.object({
    RECONCILE_QUEUED_AFTER_SECONDS: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.queuedAfterSeconds),
    RECONCILE_RUNNING_AFTER_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(DEFAULT_LIMITS.runningAfterSeconds),
    RECONCILE_GIVE_UP_AFTER_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(DEFAULT_LIMITS.giveUpAfterSeconds),
    RECONCILE_MAX_DISPATCH_ATTEMPTS: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_LIMITS.maxDispatchAttempts),
    RECONCILE_SOUNDTRACK_AFTER_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(SOUNDTRACK_STALLED_AFTER_SECONDS),
  }),
);

/** EventBridge schedule (every few minutes) → settle whatever the event-driven paths missed. */
export const handler = async (_event: ScheduledEvent) => {
  const e = reconcilerEnv();
  const counts = await reconcileJobs(getDb(), {
    queuedAfterSeconds: e.RECONCILE_QUEUED_AFTER_SECONDS,
    runningAfterSeconds: e.RECONCILE_RUNNING_AFTER_SECONDS,
    giveUpAfterSeconds: e.RECONCILE_GIVE_UP_AFTER_SECONDS,
    maxDispatchAttempts: e.RECONCILE_MAX_DISPATCH_ATTEMPTS,
  });
  // Music put on videos (apply-soundtrack): requests whose message or worker was lost.
  const soundtracks = await resumeSoundtracks(getDb(), e.RECONCILE_SOUNDTRACK_AFTER_SECONDS);
  const all = {
    ...counts,
    soundtracksRequeued: soundtracks.requeued,
    soundtracksGaveUp: soundtracks.gaveUp,
    errors: counts.errors + soundtracks.errors,
  };
  logger.info('reconciled', all);
  // Errors surface as a failed invocation so the reconciler-failure alarm sees them.
  if (all.errors > 0) throw new Error(`reconciler hit ${all.errors} error(s)`);
  return all;
};
