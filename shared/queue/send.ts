import type { SQSClient } from '@aws-sdk/client-sqs';
import { localQueue } from './local-registry.ts';

// Loaded on first send: every API function may wake fan-out (shared/realtime/outbox.ts), but most
// requests record nothing, and the SDK client costs start-up time.
let client: Promise<{ client: SQSClient; sdk: typeof import('@aws-sdk/client-sqs') }> | undefined;

export interface SendOptions {
  /** SQS per-message delay (0–900 s): the message stays invisible this long. */
  delaySeconds?: number;
  /** Give up on the call after this long (the caller decides what a failed send means). */
  timeoutMs?: number;
}

/**
 * Sends one message. `local://…` URLs are the in-process queues of `npm run dev` and the
 * tests (no SQS server speaks the protocol the current SDK uses); anything else is SQS, whose
 * client is imported on first use (only the routes that enqueue pay for it, README "Cold start").
 */
export async function sendQueueMessage(
  queueUrl: string,
  body: unknown,
  opts: SendOptions = {},
): Promise<void> {
  const payload = JSON.stringify(body);
  const local = localQueue(queueUrl);
  if (local) return local.send(payload, opts.delaySeconds);
  client ??= import('@aws-sdk/client-sqs').then((sdk) => ({ client: new sdk.SQSClient({}), sdk }));
  const { client: sqs, sdk } = await client;
  await sqs.send(
    new sdk.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: payload, DelaySeconds: opts.delaySeconds }),
    opts.timeoutMs ? { abortSignal: AbortSignal.timeout(opts.timeoutMs) } : undefined,
  );
}
