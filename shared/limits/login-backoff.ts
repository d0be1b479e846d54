import type { DbOrTrx } from '../db/client.ts';
import { TooManyRequestsError } from '../http/errors.ts';
import { limitsEnv } from './config.ts';
import { secondsUntil } from './quotas.ts';
import { blockWhenReached, clearKey, recordHit } from './repository.ts';

/**
 * Sign-in attempts per account (by email, whether or not it exists, so the answers reveal
 * nothing): LOGIN_FREE_ATTEMPTS at full speed, then each must wait twice as long as the last
 * (1 s, 2 s, 4 s … at most a minute, by default), and LOGIN_LOCK_AFTER failures lock the account for
 * LOGIN_LOCK_MINUTES. Early or locked attempts get 429 with Retry-After and never reach the
 * password check; a success forgets the failures. Attempts are counted before the check, in one
 * upsert, so a burst of parallel guesses gets no further than a sequence would.
 */
const keyOf = (email: string) => `login:${email}`;

export async function beginLoginAttempt(db: DbOrTrx, email: string): Promise<void> {
  const e = limitsEnv();
  const gaps = {
    freeHits: e.LOGIN_FREE_ATTEMPTS,
    firstGapSeconds: e.LOGIN_FIRST_DELAY_SECONDS,
    maxGapSeconds: e.LOGIN_MAX_DELAY_SECONDS,
  };
  const hit = await recordHit(db, keyOf(email), e.LOGIN_WINDOW_MINUTES * 60, gaps);
  if (hit.counted) return;
  if (hit.blockedUntil && hit.blockedUntil > hit.now) {
    throw new TooManyRequestsError(
      'Too many failed sign-ins: this account is locked for a while',
      secondsUntil(hit.blockedUntil, hit.now),
      'login_locked',
    );
  }
  const gap = Math.min(gaps.firstGapSeconds * 2 ** (hit.hits - gaps.freeHits), gaps.maxGapSeconds);
  throw new TooManyRequestsError(
    'Too many sign-in attempts: wait before trying again',
    secondsUntil(new Date(hit.lastHitAt.getTime() + gap * 1000), hit.now),
    'login_backoff',
  );
}

/** After a wrong password: locks the account once it has failed LOGIN_LOCK_AFTER times. */
export async function loginFailed(db: DbOrTrx, email: string): Promise<void> {
  const e = limitsEnv();
  await blockWhenReached(db, keyOf(email), e.LOGIN_LOCK_AFTER, e.LOGIN_LOCK_MINUTES * 60);
}

export async function loginSucceeded(db: DbOrTrx, email: string): Promise<void> {
  await clearKey(db, keyOf(email));
}
