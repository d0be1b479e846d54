import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

/** What the dispatcher and reconciler need to call Replicate. */
export const replicateEnv = defineEnv(
  'replicate',
  z
    .object({
      /** Replicate API token: env locally (unset → the offline stand-in), Secrets Manager in AWS. */
      REPLICATE_API_TOKEN: z.optional(z.string().check(z.minLength(1))),
      REPLICATE_API_TOKEN_ARN: z.optional(z.string().check(z.minLength(1))),
      /** Base URL of the Replicate API; the local stand-in sets its own. */
      REPLICATE_BASE_URL: z._default(z.url(), 'https://api.replicate.com/v1'),
      /** Public base URL of this API, for the webhook URL given to Replicate. */
      PUBLIC_API_URL: z.url(),
      /** Lifetime of presigned input URLs: must outlast Replicate's queue wait. */
      AI_INPUT_URL_TTL_SECONDS: z._default(
        z.coerce.number().check(z.int(), z.gte(600), z.lte(43_200)),
        6 * 3600,
      ),
    })
    .check(
      z.refine((e) => e.REPLICATE_API_TOKEN || e.REPLICATE_API_TOKEN_ARN, {
        message: 'Set REPLICATE_API_TOKEN (or REPLICATE_API_TOKEN_ARN in AWS)',
        path: ['REPLICATE_API_TOKEN'],
      }),
    ),
);

/** What the webhook function needs to verify Replicate's signatures. */
export const webhookEnv = defineEnv(
  'webhook',
  z
    .object({
      /** Standard-Webhooks signing secret (`whsec_…`): env locally, Secrets Manager in AWS. */
      REPLICATE_WEBHOOK_SECRET: z.optional(z.string().check(z.startsWith('whsec_'))),
      REPLICATE_WEBHOOK_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
      WEBHOOK_TOLERANCE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(30), z.lte(900)), 300),
    })
    .check(
      z.refine((e) => e.REPLICATE_WEBHOOK_SECRET || e.REPLICATE_WEBHOOK_SECRET_ARN, {
        message: 'Set REPLICATE_WEBHOOK_SECRET (or REPLICATE_WEBHOOK_SECRET_ARN in AWS)',
        path: ['REPLICATE_WEBHOOK_SECRET'],
      }),
    ),
);

/** The SQS queue of AI jobs (API → dispatcher); its message contract is in job-queue.ts. */
export const queueEnv = defineEnv('queue', z.object({ AI_JOBS_QUEUE_URL: z.url() }));
