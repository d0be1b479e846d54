import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

export const storageEnv = defineEnv(
  'storage',
  z.object({
    MEDIA_BUCKET: z.string().check(z.minLength(3)),
    /** Local S3-protocol server (npm run dev, tests). Unset in AWS → real S3. */
    S3_ENDPOINT: z.optional(z.url()),
    AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
    UPLOAD_URL_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(3600)), 900),
    /** Signed media URLs are valid this long (and reused for the first half of it: media-url.ts). */
    DOWNLOAD_URL_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(43_200)), 3600),
  }),
);

/** Where the local stand-in for the CDN listens by default: `npm run dev`'s gateway. */
export const LOCAL_CDN_BASE_URL = 'http://127.0.0.1:3000';

/**
 * The media CDN (CloudFront in AWS, the local gateway's `/media/*` stand-in otherwise): public
 * media URLs are `${MEDIA_CDN_BASE_URL}/${key}`. Its own schema so that functions which only build
 * public URLs need no bucket settings.
 */
export const cdnEnv = defineEnv(
  'cdn',
  z.pipe(
    z
      .object({
        MEDIA_CDN_BASE_URL: z.optional(
          z.pipe(
            z.url({ protocol: /^https?$/ }),
            z.transform((url) => url.replace(/\/+$/, '')),
          ),
        ),
        /** CloudFront distribution whose paths are invalidated when media are removed; unset → local stand-in. */
        MEDIA_CDN_DISTRIBUTION_ID: z.optional(z.string().check(z.minLength(1))),
        NODE_ENV: z.optional(z.string()),
      })
      .check(
        z.refine((e) => e.MEDIA_CDN_BASE_URL || e.NODE_ENV !== 'production', {
          message: 'MEDIA_CDN_BASE_URL is required in production (the stack sets it)',
          path: ['MEDIA_CDN_BASE_URL'],
        }),
      ),
    z.transform((e) => ({
      MEDIA_CDN_BASE_URL: e.MEDIA_CDN_BASE_URL ?? LOCAL_CDN_BASE_URL,
      MEDIA_CDN_DISTRIBUTION_ID: e.MEDIA_CDN_DISTRIBUTION_ID,
    })),
  ),
);
