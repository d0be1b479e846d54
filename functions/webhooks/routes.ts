import * as z from 'zod';
import { REPLICATE_WEBHOOK_PATH, WebhookQuery } from '../../shared/ai/webhook-contract.ts';
import { route } from '../../shared/http/route.ts';

/** The webhooks domain's entries of the route table (merged in functions/routes.ts). */
export const webhooksRoutes = {
  replicateWebhook: route({
    method: 'POST',
    path: REPLICATE_WEBHOOK_PATH,
    domain: 'webhooks',
    // No user: Replicate signs the body (Standard Webhooks); the handler verifies it.
    auth: 'none',
    summary: "Replicate's prediction updates (signed webhooks)",
    tags: ['webhooks'],
    query: WebhookQuery,
    rawBody: true,
    bodyLimitBytes: 1024 * 1024,
    response: z.object({
      status: z.enum(['advanced', 'succeeded', 'failed', 'ignored', 'duplicate', 'unknown']),
    }),
    throttle: 'webhook',
  }),
};
