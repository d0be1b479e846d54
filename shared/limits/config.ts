import * as z from 'zod';
import { defineEnv } from '../config/env.ts';

const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** Per-client limits the app enforces itself (README: "What is enforced where"). */
export const limitsEnv = defineEnv(
  'limits',
  z.object({
    /** Accounts created from one client IP per hour. */
    SIGNUPS_PER_IP_PER_HOUR: count(5),
    /** AI jobs (capture-frame included) one person may start per minute. */
    AI_JOBS_PER_USER_PER_MINUTE: count(10),
    /** Sign-in attempts for one account answered at once; after that each waits twice as long (1 s, 2 s, …). */
    LOGIN_FREE_ATTEMPTS: count(5),
    /** Failed sign-ins (within LOGIN_WINDOW_MINUTES) after which the account is locked. */
    LOGIN_LOCK_AFTER: count(10),
    LOGIN_LOCK_MINUTES: count(15),
    /** Failed attempts are forgotten this long after the first of them. */
    LOGIN_WINDOW_MINUTES: count(15),
  }),
);

/** The longest wait between sign-in attempts before the lock. */
export const LOGIN_MAX_DELAY_SECONDS = 60;
