import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

export const screeningEnv = defineEnv(
  'screening',
  z.object({
    /** Labels at or above this confidence (0-100) in a refused category refuse the image. */
    SCREENING_MIN_CONFIDENCE: z._default(z.coerce.number().check(z.gte(0), z.lte(100)), 80),
    /**
     * Refused categories, comma-separated: a label is refused when its name or its parent's is
     * one of these (Rekognition's moderation taxonomy, levels 1 and 2).
     */
    SCREENING_REFUSED_CATEGORIES: z.pipe(
      z._default(z.string(), 'Explicit,Explicit Nudity,Violence,Graphic Violence,Visually Disturbing'),
      z.transform((s) =>
        s
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      ),
    ),
    /** Locally: the Rekognition stand-in's URL. In AWS: unset (the regional endpoint). */
    REKOGNITION_ENDPOINT: z.optional(z.url()),
  }),
);
