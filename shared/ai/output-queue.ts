import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';
import { sendQueueMessage } from '../queue/send.ts';

/**
 * The AI outputs queue's contract (webhook / reconciler → SQS → output-copier). A succeeded job's
 * output is copied into our bucket off the webhook's request, so Replicate gets its answer at once.
 * The message carries only the job id: the copier reads the job and copies only what is still
 * missing, so duplicates and late messages are harmless. infra/ai.ts sets OUTPUT_QUEUE_ENV.
 */
export const OutputCopyMessage = z.object({ job_id: z.uuid() });
export type OutputCopyMessage = z.infer<typeof OutputCopyMessage>;

/** The environment variable holding the queue URL (set by infra/ai.ts and the local runtime). */
export const OUTPUT_QUEUE_ENV = 'AI_OUTPUTS_QUEUE_URL';

const outputQueueEnv = defineEnv('output queue', z.object({ [OUTPUT_QUEUE_ENV]: z.url() }));

export async function enqueueOutputCopy(jobId: string): Promise<void> {
  await sendQueueMessage(outputQueueEnv()[OUTPUT_QUEUE_ENV], { job_id: jobId } satisfies OutputCopyMessage);
}

/** Parses a queue message body; throws on anything else (a poison message for the DLQ). */
export function parseOutputCopyMessage(body: string): OutputCopyMessage {
  return OutputCopyMessage.parse(JSON.parse(body));
}
