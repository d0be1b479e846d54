import type { SQSClient } from '@aws-sdk/client-sqs';
import { localQueue } from './local-registry.ts';

type SqsSdk = typeof import('@aws-sdk/client-sqs');
let sdk: Promise<SqsSdk> | undefined;
let client: SQSClient | undefined;

/**
 * Sends one message. `local://…` URLs are the in-process queues of `npm run dev` and the
 * tests (no SQS server speaks the protocol the current SDK uses); anything else is SQS, whose
 * client is imported on first use (only the routes that enqueue pay for it, README "Cold start").
 */
export async function sendQueueMessage(queueUrl: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  const local = localQueue(queueUrl);
  if (local) return local.send(payload);
  sdk ??= import('@aws-sdk/client-sqs');
  const { SQSClient, SendMessageCommand } = await sdk;
  client ??= new SQSClient({});
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: payload }));
}
