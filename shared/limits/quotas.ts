import type { DbOrTrx } from '../db/client.ts';
import { TooManyRequestsError } from '../http/errors.ts';
import { limitsEnv } from './config.ts';
import { type Hit, recordHit } from './repository.ts';

/** Whole seconds until `until`, at least 1 (a Retry-After of 0 invites a tight loop). */
export function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** Counts a request against a fixed-window quota; over it, 429 with Retry-After (the window's end). */
async function enforceQuota(
  db: DbOrTrx,
  quota: { key: string; limit: number; windowSeconds: number; code: string; message: string },
): Promise<Hit> {
  const hit = await recordHit(db, quota.key, quota.windowSeconds);
  if (hit.hits > quota.limit) {
    const windowEnd = new Date(hit.windowStartedAt.getTime() + quota.windowSeconds * 1000);
    throw new TooManyRequestsError(quota.message, secondsUntil(windowEnd, hit.now), quota.code);
  }
  return hit;
}

/** Sign-ups per client IP per hour: each account is free credits, so making them is rationed. */
export async function enforceSignupLimit(db: DbOrTrx, clientIp: string): Promise<void> {
  const limit = limitsEnv().SIGNUPS_PER_IP_PER_HOUR;
  await enforceQuota(db, {
    key: `signup:${clientIp}`,
    limit,
    windowSeconds: 3600,
    code: 'signup_rate_limited',
    message: `At most ${limit} accounts can be created from one network per hour`,
  });
}

/** AI jobs (each a paid model run, or ffmpeg work) per person per minute. */
export async function enforceAiJobLimit(db: DbOrTrx, userId: string): Promise<void> {
  const limit = limitsEnv().AI_JOBS_PER_USER_PER_MINUTE;
  await enforceQuota(db, {
    key: `ai:${userId}`,
    limit,
    windowSeconds: 60,
    code: 'ai_rate_limited',
    message: `At most ${limit} AI requests per minute`,
  });
}
