import { afterAll, beforeAll } from 'vitest';
import { type LocalAccounts, startLocalAccounts } from '../../shared/local/accounts.ts';
import type { LocalQueue } from '../../shared/local/sqs.ts';

export interface LocalAccountsHandle {
  readonly deletions: LocalQueue;
  readonly exports: LocalQueue;
  /** Waits until both queues are quiet at once. */
  settle(): Promise<void>;
}

/** The account deletion and export queues for one test file, delivering to the real workers. */
export function useLocalAccounts(): LocalAccountsHandle {
  let accounts: LocalAccounts;
  beforeAll(() => {
    accounts = startLocalAccounts({ visibilityDelayMs: 50, maxReceiveCount: 3 });
  });
  afterAll(() => accounts?.stop());
  return {
    get deletions() {
      return accounts.deletions;
    },
    get exports() {
      return accounts.exports;
    },
    async settle() {
      // A worker on one queue can send to the other (an account deleted while its export is
      // built), so wait until both are quiet at the same time, not one after the other.
      do {
        await accounts.deletions.idle();
        await accounts.exports.idle();
      } while (accounts.deletions.busy || accounts.exports.busy);
    },
  };
}
