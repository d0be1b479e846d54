import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

const count = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000_000)), fallback);

/** Per-client limits the app enforces itself (README: "What is enforced where"). */
export const limitsEnv = defineEnv(
  'limits',
  z.object({
    /** Accounts created from one client IP per hour. */
    SIGNUPS_PER_IP_PER_HOUR: count(5),
    /** AI jobs (capture-frame included) one person may start per minute. */
    AI_JOBS_PER_USER_PER_MINUTE: count(10),
    /** Sign-in attempts for one account answered at once; after that each waits twice as long as the last. */
    LOGIN_FREE_ATTEMPTS: count(5),
    /** The first wait after the free attempts (then 2×, 4×, … up to LOGIN_MAX_DELAY_SECONDS). */
    LOGIN_FIRST_DELAY_SECONDS: count(1),
    LOGIN_MAX_DELAY_SECONDS: count(60),
    /** Failed sign-ins (within LOGIN_WINDOW_MINUTES) after which the account is locked. */
    LOGIN_LOCK_AFTER: count(10),
    LOGIN_LOCK_MINUTES: count(15),
    /** Failed attempts are forgotten this long after the first of them. */
    LOGIN_WINDOW_MINUTES: count(15),
  }),
);
