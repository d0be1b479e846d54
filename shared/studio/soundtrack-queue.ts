import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';
import { sendQueueMessage } from '../queue/send.ts';

/**
 * The soundtrack queue's contract (studio API / reconciler → SQS → apply-soundtrack worker). The
 * message carries only the request's id: its row is the truth, so a duplicate or late message finds a
 * request that is done or held by another run and does nothing. infra/media.ts sets the variable on
 * the senders.
 */
export const SoundtrackMessage = z.object({ soundtrack_id: z.uuid() });
export type SoundtrackMessage = z.infer<typeof SoundtrackMessage>;

/** The environment variable holding the queue URL (set by infra/media.ts and the local runtime). */
export const SOUNDTRACK_QUEUE_ENV = 'SOUNDTRACK_QUEUE_URL';

const soundtrackQueueEnv = defineEnv('soundtrack queue', z.object({ [SOUNDTRACK_QUEUE_ENV]: z.url() }));

export async function enqueueSoundtrack(soundtrackId: string): Promise<void> {
  await sendQueueMessage(soundtrackQueueEnv()[SOUNDTRACK_QUEUE_ENV], {
    soundtrack_id: soundtrackId,
  } satisfies SoundtrackMessage);
}

/** Parses a queue message body; throws on anything else (a poison message for the DLQ). */
export function parseSoundtrackMessage(body: string): SoundtrackMessage {
  return SoundtrackMessage.parse(JSON.parse(body));
}
