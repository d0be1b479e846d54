import * as z from 'zod/mini';
import { sendQueueMessage } from '../queue/send.ts';
import { queueEnv } from './config.ts';

/**
 * The AI jobs queue's contract (API / reconciler → SQS → ai-dispatcher). The message carries
 * only the job id: the job row is the truth, so a duplicate or late message can do no more
 * than find a job that is no longer queued. infra/ai.ts sets JOB_QUEUE_ENV on the senders.
 */
export const JobMessage = z.object({ job_id: z.uuid() });
export type JobMessage = z.infer<typeof JobMessage>;

/** The environment variable holding the queue URL (set by infra/ai.ts and the local runtime). */
export const JOB_QUEUE_ENV = 'AI_JOBS_QUEUE_URL';

export async function enqueueJob(jobId: string): Promise<void> {
  await sendQueueMessage(queueEnv()[JOB_QUEUE_ENV], { job_id: jobId } satisfies JobMessage);
}

/** Parses a queue message body; throws on anything else (a poison message for the DLQ). */
export function parseJobMessage(body: string): JobMessage {
  return JobMessage.parse(JSON.parse(body));
}
