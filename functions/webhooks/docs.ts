import type { RouteDocs } from '../../shared/http/route.ts';
import type { webhooksRoutes } from './routes.ts';

/** The OpenAPI text of the webhooks routes: read by the document generator, never bundled into a Lambda. */
export const webhooksDocs = {
  replicateWebhook: {
    summary: "Replicate's prediction updates (signed webhooks)",
    description:
      'Where Replicate reports prediction updates (not for apps). The signature is checked on the raw bytes first (Standard Webhooks, ±5 minutes); deliveries are applied once per `webhook-id`, in any order.',
  },
} satisfies RouteDocs<typeof webhooksRoutes>;
