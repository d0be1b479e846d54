import * as z from 'zod/mini';

/**
 * Replicate's way back to us (dispatcher → Replicate → webhooks Lambda). The dispatcher gives
 * each prediction `${PUBLIC_API_URL}${REPLICATE_WEBHOOK_PATH}?job_id=<job>`: the job id lets the
 * `start` webhook find its job before the dispatcher has recorded the prediction id. The route
 * table (functions/webhooks/routes.ts) and the stack's output (infra/stack.ts) use the same path.
 */
export const REPLICATE_WEBHOOK_PATH = '/v1/webhooks/replicate';

export const WebhookQuery = z.object({ job_id: z.optional(z.uuid()) });

export function replicateWebhookUrl(publicApiUrl: string, jobId: string): string {
  return `${publicApiUrl.replace(/\/$/, '')}${REPLICATE_WEBHOOK_PATH}?job_id=${jobId}`;
}

/** True when a prediction's webhook URL is the one made for `jobId` (adopting after a crash). */
export function isWebhookUrlForJob(webhookUrl: string | undefined, jobId: string): boolean {
  if (!webhookUrl) return false;
  try {
    return new URL(webhookUrl).searchParams.get('job_id') === jobId;
  } catch {
    return false;
  }
}
