import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

export const exportEnv = defineEnv(
  'account export',
  z.object({
    /** Media copied into one export; what does not fit is listed in media.json instead. */
    EXPORT_MEDIA_MAX_BYTES: z._default(
      z.coerce.number().check(z.int(), z.gte(0), z.lte(8 * 1024 ** 3)),
      4 * 1024 ** 3,
    ),
  }),
);

/** The download link (mail, status) works this long; the zip is deleted after it (bucket lifecycle). */
export const EXPORT_LINK_DAYS = 7;
/** One export per this many hours per account; one at a time. */
export const EXPORT_MIN_INTERVAL_HOURS = 24;
