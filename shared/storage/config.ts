import * as z from 'zod';
import { defineEnv } from '../config/env.ts';

export const storageEnv = defineEnv(
  'storage',
  z.object({
    MEDIA_BUCKET: z.string().min(3),
    /** Local S3-protocol server (npm run dev, tests). Unset in AWS → real S3. */
    S3_ENDPOINT: z.url().optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
    /** Signed media URLs are valid this long (and reused for the first half of it: media-url.ts). */
    DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(43_200).default(3600),
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
  z
    .object({
      MEDIA_CDN_BASE_URL: z
        .url({ protocol: /^https?$/ })
        .transform((url) => url.replace(/\/+$/, ''))
        .optional(),
      /** CloudFront distribution whose paths are invalidated when media are removed; unset → local stand-in. */
      MEDIA_CDN_DISTRIBUTION_ID: z.string().min(1).optional(),
      NODE_ENV: z.string().optional(),
    })
    .refine((e) => e.MEDIA_CDN_BASE_URL || e.NODE_ENV !== 'production', {
      message: 'MEDIA_CDN_BASE_URL is required in production (the stack sets it)',
      path: ['MEDIA_CDN_BASE_URL'],
    })
    .transform((e) => ({
      MEDIA_CDN_BASE_URL: e.MEDIA_CDN_BASE_URL ?? LOCAL_CDN_BASE_URL,
      MEDIA_CDN_DISTRIBUTION_ID: e.MEDIA_CDN_DISTRIBUTION_ID,
    })),
);
