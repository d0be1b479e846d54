import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';
import { sendQueueMessage } from '../queue/send.ts';

/**
 * The account queues' contracts (account Lambda → SQS → account-deletion / account-export
 * workers). Messages carry ids only: the rows are the truth, so a duplicate or late message finds
 * work already done. infra/accounts.ts sets the env names below on the senders.
 */
export const DeletionMessage = z.object({ user_id: z.uuid() });
export type DeletionMessage = z.infer<typeof DeletionMessage>;
export const ExportMessage = z.object({ export_id: z.uuid() });
export type ExportMessage = z.infer<typeof ExportMessage>;

/** Receives after which an export is marked failed instead of retried (the export queue's maxReceiveCount). */
export const EXPORT_MAX_RECEIVES = 3;

export const DELETION_QUEUE_ENV = 'ACCOUNT_DELETION_QUEUE_URL';
export const EXPORT_QUEUE_ENV = 'ACCOUNT_EXPORT_QUEUE_URL';

const deletionQueueEnv = defineEnv(
  'account deletion queue',
  z.object({ [DELETION_QUEUE_ENV]: z.string().check(z.minLength(1)) }),
);
const exportQueueEnv = defineEnv(
  'account export queue',
  z.object({ [EXPORT_QUEUE_ENV]: z.string().check(z.minLength(1)) }),
);

export async function enqueueDeletion(userId: string): Promise<void> {
  await sendQueueMessage(deletionQueueEnv()[DELETION_QUEUE_ENV]!, {
    user_id: userId,
  } satisfies DeletionMessage);
}

export async function enqueueExport(exportId: string): Promise<void> {
  await sendQueueMessage(exportQueueEnv()[EXPORT_QUEUE_ENV]!, {
    export_id: exportId,
  } satisfies ExportMessage);
}

/** Parse a message body; anything else throws (a poison message for the DLQ). */
export function parseDeletionMessage(body: string): DeletionMessage {
  return DeletionMessage.parse(JSON.parse(body));
}

export function parseExportMessage(body: string): ExportMessage {
  return ExportMessage.parse(JSON.parse(body));
}
