import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';
import { logger } from '../logging/logger.ts';
import { sendQueueMessage } from '../queue/send.ts';

/**
 * The fan-out queue's contract (producers / sweeper → SQS → fan-out worker). Messages carry ids
 * only: the outbox and the like windows are the truth, so a duplicate, late or stale message
 * finds nothing left to do. infra/realtime.ts sets FANOUT_QUEUE_ENV on the senders.
 */
export const FANOUT_QUEUE_ENV = 'FANOUT_QUEUE_URL';

/**
 * Unset: recorded events wait in the outbox for the sweeper. The stack sets it on every function
 * that records events; tests that don't watch live delivery leave it unset.
 */
const fanoutQueueEnv = defineEnv(
  'fanout queue',
  z.object({ FANOUT_QUEUE_URL: z.optional(z.string().check(z.minLength(1))) }),
);

/** Event ids per message (about 40 bytes each: far below SQS's 256 KiB). */
export const MAX_EVENT_IDS_PER_MESSAGE = 100;

export const FanoutMessage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('events'),
    event_ids: z.array(z.uuid()).check(z.minLength(1), z.maxLength(MAX_EVENT_IDS_PER_MESSAGE)),
  }),
  /** A like window that is due (sent with the window as its SQS delay, and again by the sweeper). */
  z.object({ kind: z.literal('like_batch'), batch_id: z.uuid() }),
]);
export type FanoutMessage = z.infer<typeof FanoutMessage>;

/** Parses a queue message body; throws on anything else (a poison message for the DLQ). */
export function parseFanoutMessage(body: string): FanoutMessage {
  return FanoutMessage.parse(JSON.parse(body));
}

/** A wake-up must never hold the action's answer for long: past this, the sweeper has it. */
const KICK_TIMEOUT_MS = 1000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Sends fan-out messages; throws when the queue is unset or a send fails. */
export async function enqueueFanout(
  messages: readonly FanoutMessage[],
  opts: { delaySeconds?: number; timeoutMs?: number } = {},
): Promise<void> {
  const url = fanoutQueueEnv()[FANOUT_QUEUE_ENV];
  if (!url) throw new Error(`${FANOUT_QUEUE_ENV} is not set`);
  for (const m of messages) await sendQueueMessage(url, m, opts);
}

export function eventMessages(ids: readonly string[]): FanoutMessage[] {
  return chunks(ids, MAX_EVENT_IDS_PER_MESSAGE).map((event_ids) => ({ kind: 'events' as const, event_ids }));
}

/**
 * Wakes fan-out for events just committed. Never throws: the action has already happened, and
 * an event whose wake-up is lost is still in the outbox, where the sweeper finds it.
 */
export async function kickFanout(ids: readonly string[]): Promise<void> {
  if (!ids.length || !fanoutQueueEnv()[FANOUT_QUEUE_ENV]) return;
  try {
    await enqueueFanout(eventMessages(ids), { timeoutMs: KICK_TIMEOUT_MS });
  } catch (err) {
    logger.warn('could not wake fan-out; the outbox sweeper will deliver', {
      events: ids.length,
      error: err as Error,
    });
  }
}
