import { afterAll, beforeAll } from 'vitest';
import { type LocalAccounts, startLocalAccounts } from '../../shared/local/accounts.ts';
import type { LocalQueue } from '../../shared/local/sqs.ts';
import { settleAll } from './settle.ts';

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
      // An export worker can send an account deletion.
      await settleAll([accounts.deletions, accounts.exports]);
    },
  };
}
