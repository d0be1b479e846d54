import type { Context, SQSEvent } from 'aws-lambda';
import { DELETION_QUEUE_ENV, EXPORT_QUEUE_ENV } from '../accounts/queues.ts';
import { resetEnvCache } from '../config/env.ts';
import { localLambdaContext, newRequestId, runInvocation } from './invocation.ts';
import { LocalQueue } from './sqs.ts';

/**
 * The account workers, locally: the deletion and export queues deliver SQS events to the same
 * worker handlers the stack deploys (functions/workers/account-*.ts), with redelivery and a
 * dead-letter list like the AI jobs queue (shared/local/ai.ts).
 */
export interface LocalAccounts {
  deletions: LocalQueue;
  exports: LocalQueue;
  stop(): void;
}

export function startLocalAccounts(opts: {
  log?: (line: string) => void;
  visibilityDelayMs?: number;
  maxReceiveCount?: number;
}): LocalAccounts {
  // Each delivery is its own invocation, with its own log context (as in Lambda).
  const invoke = <T>(name: string, timeoutMs: number, run: (context: Context) => T) => {
    const requestId = newRequestId();
    return runInvocation(requestId, () => run(localLambdaContext(name, requestId, timeoutMs)));
  };
  const deletions = new LocalQueue({
    name: 'lokiz-account-deletions',
    handler: async (event: SQSEvent) => {
      const { handler } = await import('../../functions/workers/account-deletion.ts');
      return invoke('account-deletion', 300_000, (context) => handler(event, context));
    },
    batchSize: 1,
    maxReceiveCount: opts.maxReceiveCount ?? 5,
    visibilityDelayMs: opts.visibilityDelayMs ?? 1000,
    log: opts.log,
  });
  const exports = new LocalQueue({
    name: 'lokiz-account-exports',
    handler: async (event: SQSEvent) => {
      const { handler } = await import('../../functions/workers/account-export.ts');
      return invoke('account-export', 900_000, (context) => handler(event, context));
    },
    batchSize: 1,
    maxReceiveCount: opts.maxReceiveCount ?? 3,
    visibilityDelayMs: opts.visibilityDelayMs ?? 1000,
    log: opts.log,
  });
  process.env[DELETION_QUEUE_ENV] = deletions.url;
  process.env[EXPORT_QUEUE_ENV] = exports.url;
  resetEnvCache();
  return {
    deletions,
    exports,
    stop() {
      deletions.close();
      exports.close();
    },
  };
}
