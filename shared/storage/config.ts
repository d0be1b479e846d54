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
    DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(43_200).default(3600),
    /** Optional CDN (e.g. CloudFront) in front of the bucket: media URLs become `${base}/${key}`. */
    MEDIA_CDN_BASE_URL: z.url().optional(),
  }),
);
