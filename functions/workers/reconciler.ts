import type { Context, ScheduledEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { resumeStalledAccountWork } from '../../shared/accounts/resume.ts';
import { DEFAULT_LIMITS, reconcileJobs } from '../../shared/ai/reconcile.ts';
import { defineEnv } from '../../shared/config/env.ts';
import { getDb } from '../../shared/db/client.ts';
import { pruneQuietKeys } from '../../shared/limits/repository.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import { withEventKicks } from '../../shared/realtime/outbox.ts';
import {
  resumeSoundtracks,
  SOUNDTRACK_STALLED_AFTER_SECONDS,
} from '../../shared/studio/resume-soundtracks.ts';

const reconcilerEnv = defineEnv(
  'reconciler',
  z.object({
    RECONCILE_QUEUED_AFTER_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.gte(0)),
      DEFAULT_LIMITS.queuedAfterSeconds,
    ),
    RECONCILE_RUNNING_AFTER_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.gte(0)),
      DEFAULT_LIMITS.runningAfterSeconds,
    ),
    RECONCILE_GIVE_UP_AFTER_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.gte(0)),
      DEFAULT_LIMITS.giveUpAfterSeconds,
    ),
    RECONCILE_COPY_AFTER_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.gte(0)),
      DEFAULT_LIMITS.copyAfterSeconds,
    ),
    RECONCILE_MAX_DISPATCH_ATTEMPTS: z._default(
      z.coerce.number().check(z.int(), z.gte(1)),
      DEFAULT_LIMITS.maxDispatchAttempts,
    ),
    RECONCILE_SOUNDTRACK_AFTER_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.gte(0)),
      SOUNDTRACK_STALLED_AFTER_SECONDS,
    ),
  }),
);

/**
 * EventBridge schedule (every few minutes) → settle whatever the event-driven paths missed: AI
 * jobs, and account deletions, exports and music-on-video requests whose queue message was lost.
 */
export const handler = async (_event: ScheduledEvent, context?: Context) => {
  startInvocationLog(context);
  const e = reconcilerEnv();
  const { counts, accounts } = await withEventKicks(async () => ({
    counts: await reconcileJobs(getDb(), {
      queuedAfterSeconds: e.RECONCILE_QUEUED_AFTER_SECONDS,
      runningAfterSeconds: e.RECONCILE_RUNNING_AFTER_SECONDS,
      giveUpAfterSeconds: e.RECONCILE_GIVE_UP_AFTER_SECONDS,
      maxDispatchAttempts: e.RECONCILE_MAX_DISPATCH_ATTEMPTS,
      copyAfterSeconds: e.RECONCILE_COPY_AFTER_SECONDS,
    }),
    accounts: await resumeStalledAccountWork(getDb()),
  }));
  // Music put on videos (apply-soundtrack): requests whose message or worker was lost.
  const soundtracks = await resumeSoundtracks(getDb(), e.RECONCILE_SOUNDTRACK_AFTER_SECONDS);
  // Housekeeping on the same schedule: rate-limit counters quiet for a day are long expired.
  const pruned = await pruneQuietKeys(getDb(), 86_400);
  logger.info('reconciled', {
    ...counts,
    accounts_resumed: accounts.resumed,
    soundtracks_requeued: soundtracks.requeued,
    soundtracks_gave_up: soundtracks.gaveUp,
    rate_limit_keys_pruned: pruned,
  });
  const errors = counts.errors + accounts.errors + soundtracks.errors;
  // Errors surface as a failed invocation so the reconciler-failure alarm sees them.
  if (errors > 0) throw new Error(`reconciler hit ${errors} error(s)`);
  return {
    ...counts,
    accountsResumed: accounts.resumed,
    soundtracksRequeued: soundtracks.requeued,
    soundtracksGaveUp: soundtracks.gaveUp,
  };
};
