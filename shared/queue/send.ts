import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localQueue } from './local-registry.ts';

let client: SQSClient | undefined;

/**
 * Sends one message. `local://…` URLs are the in-process queues of `npm run dev` and the
 * tests (no SQS server speaks the protocol the current SDK uses); anything else is SQS.
 */
export async function sendQueueMessage(queueUrl: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  const local = localQueue(queueUrl);
  if (local) return local.send(payload);
  client ??= new SQSClient({});
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: payload }));
}
