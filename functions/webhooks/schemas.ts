import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';

/** Replicate's prediction object, as its webhooks send it (verified as raw bytes first). */
export const PredictionBody = z
  .object({
    id: z.string().check(z.minLength(1)),
    status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
    output: z.optional(z.unknown()),
    error: z.optional(z.unknown()),
  })
  .register(z.globalRegistry, {
    examples: [
      {
        id: EX.predictionId,
        status: 'succeeded',
        output: `https://replicate.delivery/yhqm/${EX.predictionId}/output.mp4`,
        error: null,
      },
    ],
  });

/** Standard Webhooks headers, as Replicate signs its deliveries. */
export const WebhookHeaders = z.object({
  'webhook-id': z.string().register(z.globalRegistry, {
    description: 'Delivery id, the same on every retry (deliveries are applied once)',
    examples: ['msg_2Lh8qV9kX3'],
  }),
  'webhook-timestamp': z.string().register(z.globalRegistry, {
    description: 'Unix seconds; more than 5 minutes off is refused',
    examples: ['1764494100'],
  }),
  'webhook-signature': z.string().register(z.globalRegistry, {
    description:
      'Space-separated `v1,<base64>` HMAC-SHA256 signatures of `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed by the base64 part of the `whsec_…` secret',
    examples: ['v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='],
  }),
});

export const WebhookResult = z
  .object({ status: z.enum(['advanced', 'succeeded', 'failed', 'ignored', 'duplicate', 'unknown']) })
  .register(z.globalRegistry, { examples: [{ status: 'succeeded' }] });
