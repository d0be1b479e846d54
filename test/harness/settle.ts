/** Something local that works in the background: a queue, the async invoker, the Replicate stand-in. */
export interface BackgroundWork {
  readonly busy: boolean;
  idle(): Promise<void>;
}

/**
 * Waits until every part is quiet at the same time. Waiting for each in turn is not enough:
 * work in one part can start work in another that was already waited for (a webhook starts
 * an S3 copy, which starts upload processing; an export worker sends an account deletion).
 */
export async function settleAll(parts: BackgroundWork[]): Promise<void> {
  do {
    for (const part of parts) await part.idle();
  } while (parts.some((part) => part.busy));
}
