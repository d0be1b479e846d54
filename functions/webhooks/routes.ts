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
