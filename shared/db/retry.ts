import { isRetryableTransactionError } from './errors.ts';

/**
 * Runs a whole transaction again when PostgreSQL chose it as a deadlock victim or refused it as
 * a serialization failure: both are rolled back entirely, so a second attempt is safe. For the
 * rare multi-row writes that can meet another in a cycle (two suspensions of accounts that
 * follow each other); hot paths lock in one order instead.
 */
export async function retryTransaction<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isRetryableTransactionError(err)) throw err;
    }
  }
}
