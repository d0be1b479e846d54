import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_QUEUE_ENV } from '../shared/ai/job-queue.ts';
import { OUTPUT_QUEUE_ENV } from '../shared/ai/output-queue.ts';
import { type FunctionName, sizingOf } from './function-sizing.ts';
import { createLokizFunction, type LambdaRuntime } from './functions.ts';
import { createWorkQueue, visibilityTimeoutFor } from './queues.ts';

/** What a function may do with the AI plumbing; each flag is one of the env schemas in shared/ai/config.ts. */
export interface AiAccess {
  /** replicateEnv: REPLICATE_API_TOKEN_ARN (read) and PUBLIC_API_URL, which it requires together. */
  replicate?: boolean;
  /** webhookEnv: REPLICATE_WEBHOOK_SECRET_ARN (read). */
  webhookSecret?: boolean;
  /** queueEnv: AI_JOBS_QUEUE_URL, with sqs:SendMessage on it. */
  enqueue?: boolean;
  /** OUTPUT_QUEUE_ENV (shared/ai/output-queue.ts), with sqs:SendMessage on it. */
  copyOutputs?: boolean;
}

/** Who calls Replicate, who checks its signatures, who enqueues jobs: nobody else gets either secret. */
export const AI_ACCESS: Partial<Record<FunctionName, AiAccess>> = {
  // Creates jobs; cancelling one tells Replicate.
  ai: { replicate: true, enqueue: true },
  // Settles predictions and hands the output copy to the output-copier.
  webhooks: { webhookSecret: true, copyOutputs: true },
  // Creates predictions (their webhook URL is built from PUBLIC_API_URL).
  'ai-dispatcher': { replicate: true },
  // Polls predictions (settling them as the webhook would) and re-enqueues jobs whose message was lost.
  reconciler: { replicate: true, enqueue: true, copyOutputs: true },
};

/** SQS → dispatcher. */
export const DISPATCH_EVENTS = {
  batchSize: 5,
  maxBatchingWindow: Duration.seconds(1),
  // Bounds DB connections and the Replicate create rate (600/min) however deep the queue gets.
  maxConcurrency: 5,
};
/** A job whose dispatch failed this often (Replicate down for ~30 min) lands in the DLQ. */
export const JOB_MAX_RECEIVES = 5;
/** SQS → output-copier: a few copies at once; each holds a connection and tens of MB. */
export const COPY_EVENTS = { batchSize: 1, maxConcurrency: 5 };
/** Copies that failed this often land in the DLQ (the reconciler still retries from the database). */
export const COPY_MAX_RECEIVES = 5;
/** The reconciler settles what the queue and webhooks missed. */
export const RECONCILE_INTERVAL = Duration.minutes(5);

interface AiPipelineProps {
  runtime: LambdaRuntime;
  replicateApiToken: secretsmanager.ISecret;
  replicateWebhookSecret: secretsmanager.ISecret;
  /** The API's public base URL (ApiEdge.url, CloudFront): Replicate's webhooks come back to it. */
  apiUrl: string;
  /** The domain Lambdas that exist; AI_ACCESS applies to those and to the workers below. */
  domainFunctions: ReadonlyMap<FunctionName, lambda.Function>;
}

/**
 * AI jobs: the ai domain enqueues `{job_id}`; the dispatcher (SQS, partial batch responses)
 * creates the Replicate prediction; Replicate's signed webhook settles it; a scheduled reconciler
 * catches lost messages, silent predictions and uncopied outputs.
 */
export class AiPipeline extends Construct {
  readonly jobsQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly outputsQueue: sqs.Queue;
  readonly outputsDeadLetterQueue: sqs.Queue;
  readonly dispatcher: lambda.Function;
  readonly outputCopier: lambda.Function;
  readonly reconciler: lambda.Function;
  /** The workers above by name, for the stack-wide tables (STORAGE_ACCESS). */
  readonly workers: ReadonlyMap<FunctionName, lambda.Function>;

  constructor(scope: Construct, id: string, props: AiPipelineProps) {
    super(scope, id);
    const { runtime } = props;

    this.dispatcher = createLokizFunction(this, 'DispatcherFunction', runtime, {
      service: 'ai-dispatcher',
      jwt: false,
    });
    const jobs = createWorkQueue(this, 'JobsQueue', runtime.config, {
      visibilityTimeout: visibilityTimeoutFor(
        sizingOf('ai-dispatcher').timeout,
        DISPATCH_EVENTS.maxBatchingWindow,
      ),
      maxReceiveCount: JOB_MAX_RECEIVES,
    });
    this.jobsQueue = jobs.queue;
    this.deadLetterQueue = jobs.deadLetterQueue;
    // Also grants the dispatcher what consuming takes (receive, delete, change visibility).
    this.dispatcher.addEventSource(
      new SqsEventSource(this.jobsQueue, { ...DISPATCH_EVENTS, reportBatchItemFailures: true }),
    );

    this.outputCopier = createLokizFunction(this, 'OutputCopierFunction', runtime, {
      service: 'output-copier',
      jwt: false,
    });
    const outputs = createWorkQueue(this, 'OutputsQueue', runtime.config, {
      visibilityTimeout: visibilityTimeoutFor(sizingOf('output-copier').timeout),
      maxReceiveCount: COPY_MAX_RECEIVES,
    });
    this.outputsQueue = outputs.queue;
    this.outputsDeadLetterQueue = outputs.deadLetterQueue;
    this.outputCopier.addEventSource(
      new SqsEventSource(this.outputsQueue, { ...COPY_EVENTS, reportBatchItemFailures: true }),
    );

    this.reconciler = createLokizFunction(this, 'ReconcilerFunction', runtime, {
      service: 'reconciler',
      jwt: false,
    });
    // The next scheduled run is the retry; Lambda's own retries would only repeat a failed run.
    this.reconciler.configureAsyncInvoke({ retryAttempts: 0 });
    new events.Rule(this, 'ReconcileSchedule', {
      description: 'LOKIZ: settle AI jobs the queue and webhooks missed',
      schedule: events.Schedule.rate(RECONCILE_INTERVAL),
      targets: [new targets.LambdaFunction(this.reconciler)],
    });

    this.workers = new Map<FunctionName, lambda.Function>([
      ['ai-dispatcher', this.dispatcher],
      ['output-copier', this.outputCopier],
      ['reconciler', this.reconciler],
    ]);
    const all = new Map<FunctionName, lambda.Function>([...props.domainFunctions, ...this.workers]);
    for (const [name, access] of Object.entries(AI_ACCESS) as [FunctionName, AiAccess][]) {
      const fn = all.get(name);
      if (!fn) continue;
      if (access.replicate) {
        fn.addEnvironment('REPLICATE_API_TOKEN_ARN', props.replicateApiToken.secretArn);
        fn.addEnvironment('PUBLIC_API_URL', props.apiUrl);
        props.replicateApiToken.grantRead(fn);
      }
      if (access.webhookSecret) {
        fn.addEnvironment('REPLICATE_WEBHOOK_SECRET_ARN', props.replicateWebhookSecret.secretArn);
        props.replicateWebhookSecret.grantRead(fn);
      }
      if (access.enqueue) {
        fn.addEnvironment(JOB_QUEUE_ENV, this.jobsQueue.queueUrl);
        this.jobsQueue.grantSendMessages(fn);
      }
      if (access.copyOutputs) {
        fn.addEnvironment(OUTPUT_QUEUE_ENV, this.outputsQueue.queueUrl);
        this.outputsQueue.grantSendMessages(fn);
      }
    }
  }
}
