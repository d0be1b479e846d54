import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

export const reportsEnv = defineEnv(
  'reports',
  z.object({
    /** New reports one account may file per rolling hour (repeats of an open report are free). */
    REPORTS_PER_HOUR: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)), 20),
  }),
);

/** The fixed list of reasons (the app shows them; `other` asks for a note). */
export const REPORT_REASONS = [
  'spam',
  'harassment',
  'nudity',
  'violence',
  'impersonation_or_deepfake',
  'copyright',
  'other',
] as const;

/** A reporter's optional note, in characters (the column's CHECK agrees). */
export const REPORT_NOTE_MAX_CHARS = 500;
