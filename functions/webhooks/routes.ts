import { REPLICATE_WEBHOOK_PATH, WebhookQuery } from '../../shared/ai/webhook-contract.ts';
import { route } from '../../shared/http/route.ts';
import { PredictionBody, WebhookHeaders, WebhookResult } from './schemas.ts';

/** The webhooks domain's entries of the route table (merged in functions/routes.ts). */
export const webhooksRoutes = {
  replicateWebhook: route({
    method: 'POST',
    path: REPLICATE_WEBHOOK_PATH,
    domain: 'webhooks',
    // No user: Replicate signs the body (Standard Webhooks); the handler verifies it.
    auth: 'none',
    summary: "Replicate's prediction updates (signed webhooks)",
    description:
      'Where Replicate reports prediction updates (not for apps). The signature is checked on the raw bytes first (Standard Webhooks, ±5 minutes); deliveries are applied once per `webhook-id`, in any order.',
    errors: ['invalid_signature', 'invalid_prediction'],
    tags: ['webhooks'],
    query: WebhookQuery,
    headers: WebhookHeaders,
    body: PredictionBody,
    rawBody: true,
    bodyLimitBytes: 1024 * 1024,
    response: WebhookResult,
    throttle: 'webhook',
  }),
};
