import type Replicate from 'replicate';
import { getSecretString } from '../config/secrets.ts';
import { replicateEnv } from './config.ts';
import { isWebhookUrlForJob, replicateWebhookUrl } from './webhook-contract.ts';

let client: Promise<Replicate> | undefined;

/**
 * The official client, pointed at Replicate (or the offline stand-in's base URL locally). The
 * package loads on first use: in `ai` only cancelling a job calls Replicate, and loading it at
 * start-up cost every cold start ~4 ms (BENCHMARKS.md "Cold start proxy").
 */
export function replicateClient(): Promise<Replicate> {
  client ??= (async () => {
    const { default: Replicate } = await import('replicate');
    const e = replicateEnv();
    const auth = e.REPLICATE_API_TOKEN ?? (await getSecretString(e.REPLICATE_API_TOKEN_ARN!));
    return new Replicate({ auth, baseUrl: e.REPLICATE_BASE_URL, useFileOutput: false });
  })();
  client.catch(() => {
    client = undefined;
  });
  return client;
}

export function resetReplicateClient(): void {
  client = undefined;
}

/** Replicate's HTTP status for a failed call, when it answered at all. */
export function replicateErrorStatus(err: unknown): number | undefined {
  const response = (err as { response?: { status?: number } } | undefined)?.response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/** 429, 5xx and network failures are worth retrying; other 4xx are permanent (bad input, unknown model). */
export function isTransientReplicateError(err: unknown): boolean {
  const status = replicateErrorStatus(err);
  return status === undefined || status === 429 || status >= 500;
}

export function webhookUrlFor(jobId: string): string {
  return replicateWebhookUrl(replicateEnv().PUBLIC_API_URL, jobId);
}

/**
 * A prediction already created for this job by an earlier attempt that died before it could
 * record the id: looked up by the job id in the webhook URL among the most recent
 * predictions (best effort: it covers the small window between create and record).
 */
export async function findPredictionForJob(jobId: string): Promise<string | undefined> {
  const replicate = await replicateClient();
  const page = await replicate.predictions.list();
  return page.results.find((p) => isWebhookUrlForJob((p as { webhook?: string }).webhook, jobId))?.id;
}
