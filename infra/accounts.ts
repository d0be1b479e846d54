import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELETION_QUEUE_ENV, EXPORT_MAX_RECEIVES, EXPORT_QUEUE_ENV } from '../shared/accounts/queues.ts';
import { type FunctionName, sizingOf } from './function-sizing.ts';
import { createLokizFunction, type LambdaRuntime } from './functions.ts';
import { createWorkQueue, visibilityTimeoutFor } from './queues.ts';

/** A purge that failed this often (the database down for half an hour) lands in the DLQ. */
export const DELETION_MAX_RECEIVES = 5;
/** One account at a time per worker: a purge is many small transactions, not a batch job. */
const ONE_AT_A_TIME = { batchSize: 1, maxConcurrency: 2, reportBatchItemFailures: true } as const;

/**
 * Account deletion and data export: the account domain enqueues `{user_id}` / `{export_id}`
 * (shared/accounts/queues.ts); each queue (with its DLQ) feeds its worker.
 */
export class AccountPipeline extends Construct {
  readonly deletionWorker: lambda.Function;
  readonly exportWorker: lambda.Function;
  readonly deadLetterQueues: Record<string, sqs.Queue>;
  readonly workers: ReadonlyMap<FunctionName, lambda.Function>;

  constructor(
    scope: Construct,
    id: string,
    props: {
      runtime: LambdaRuntime;
      /** The account domain's Lambda, which enqueues. */
      accountFunction: lambda.Function | undefined;
      /** Re-sends the messages of deletions and exports that never got going (shared/accounts/resume.ts). */
      reconciler: lambda.Function;
    },
  ) {
    super(scope, id);
    const { runtime } = props;
    this.deletionWorker = createLokizFunction(this, 'DeletionFunction', runtime, {
      service: 'account-deletion',
      jwt: false,
    });
    this.exportWorker = createLokizFunction(this, 'ExportFunction', runtime, {
      service: 'account-export',
      jwt: false,
    });
    const deletions = createWorkQueue(this, 'DeletionQueue', runtime.config, {
      visibilityTimeout: visibilityTimeoutFor(sizingOf('account-deletion').timeout),
      maxReceiveCount: DELETION_MAX_RECEIVES,
    });
    const exports = createWorkQueue(this, 'ExportQueue', runtime.config, {
      visibilityTimeout: visibilityTimeoutFor(sizingOf('account-export').timeout),
      maxReceiveCount: EXPORT_MAX_RECEIVES,
    });
    this.deletionWorker.addEventSource(new SqsEventSource(deletions.queue, ONE_AT_A_TIME));
    this.exportWorker.addEventSource(new SqsEventSource(exports.queue, ONE_AT_A_TIME));
    for (const sender of [props.accountFunction, props.reconciler]) {
      if (!sender) continue;
      sender.addEnvironment(DELETION_QUEUE_ENV, deletions.queue.queueUrl);
      sender.addEnvironment(EXPORT_QUEUE_ENV, exports.queue.queueUrl);
      deletions.queue.grantSendMessages(sender);
      exports.queue.grantSendMessages(sender);
    }
    this.deadLetterQueues = {
      AccountDeletionDlq: deletions.deadLetterQueue,
      AccountExportDlq: exports.deadLetterQueue,
    };
    this.workers = new Map<FunctionName, lambda.Function>([
      ['account-deletion', this.deletionWorker],
      ['account-export', this.exportWorker],
    ]);
  }
}
